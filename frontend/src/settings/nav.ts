import type { User } from "../api/types.ts";
import { isInstanceAdmin, managesAnySite, mayShareAnySite } from "./rights.ts";

export const SETTINGS_PATH = "/settings";

export type SectionKey = "account" | "tokens" | "shares" | "sites" | "users" | "audit";

/** The settings sections, in the order of the navigation, each shown only to whom it serves. */
export const SECTIONS: readonly {
  key: SectionKey;
  label: string;
  shows: (me: User) => boolean;
}[] = [
  { key: "account", label: "Your account", shows: () => true },
  { key: "tokens", label: "API tokens", shows: () => true },
  { key: "shares", label: "Share links", shows: mayShareAnySite },
  { key: "sites", label: "Sites", shows: managesAnySite },
  { key: "users", label: "Users and invitations", shows: isInstanceAdmin },
  { key: "audit", label: "Audit log", shows: isInstanceAdmin },
];

export const settingsHref = (section: SectionKey, id?: string) =>
  `${SETTINGS_PATH}/${section}${id ? `/${encodeURIComponent(id)}` : ""}`;

/** `/settings/<section>/<id>` → its parts; an unknown section is the account. */
export function readSettingsPath(pathname: string): { section: SectionKey; id: string | null } {
  const [, , section, id] = pathname.split("/");
  const known = SECTIONS.find((s) => s.key === section)?.key ?? "account";
  return { section: known, id: id ? decodeURIComponent(id) : null };
}
