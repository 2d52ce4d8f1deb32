import type { User } from "../api/types.ts";
import type { SiteRole } from "./api.ts";

// What the signed-in user may do, to show only that. A mirror of backend/src/auth/permissions.ts
// for the screen only: the server decides every request, and a 403 is still shown as an error.

/** Higher is more; Record<SiteRole, …> keeps it in step with the API's roles. */
export const ROLE_RANK: Readonly<Record<SiteRole, number>> = {
  viewer: 1,
  editor: 2,
  admin: 3,
  owner: 4,
};

export const ROLES = (Object.keys(ROLE_RANK) as SiteRole[]).sort(
  (a, b) => ROLE_RANK[b] - ROLE_RANK[a],
);

export const ROLE_NOTES: Readonly<Record<SiteRole, string>> = {
  owner: "everything, including deleting the site and making owners",
  admin: "site settings and members",
  editor: "dashboards and error triage",
  viewer: "reports only",
};

type Me = Pick<User, "instanceAdmin" | "sites">;

const roleOf = (me: Me, site: string): SiteRole | null => me.sites[site] ?? null;

export const isInstanceAdmin = (me: Me) => me.instanceAdmin;

/** sites.edit and members.manage: owners and admins of the site. */
export function mayManage(me: Me, site: string): boolean {
  const role = roleOf(me, site);
  return me.instanceAdmin || role === "owner" || role === "admin";
}

/** sites.delete: owners of the site. */
export const mayDelete = (me: Me, site: string) => me.instanceAdmin || roleOf(me, site) === "owner";

/** Whether `me` may manage anyone's roles anywhere (the sites and invitations pages). */
export const managesAnySite = (me: Me) =>
  me.instanceAdmin || Object.values(me.sites).some((r) => r === "owner" || r === "admin");

/** shares.manage: editors, admins and owners make share links of their sites. */
export const mayShareAnySite = (me: Me) =>
  me.instanceAdmin || Object.values(me.sites).some((r) => r !== "viewer");

/**
 * The roles `me` may give on `site` to someone whose role is `current` (null: none); empty when
 * they may not change that person at all (a site admin facing an owner).
 */
export function assignable(me: Me, site: string, current: SiteRole | null): SiteRole[] {
  if (me.instanceAdmin) return ROLES;
  const own = roleOf(me, site);
  if (!own || !mayManage(me, site)) return [];
  const rank = ROLE_RANK[own];
  if (current && ROLE_RANK[current] > rank) return [];
  return ROLES.filter((r) => ROLE_RANK[r] <= rank);
}
