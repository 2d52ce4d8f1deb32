// The generated parts of docs/security.md: who may do what (from ACTIONS) and which action each
// route needs (from the app's own route table). src/auth/docs.test.ts fails while they differ.
//   tsx backend/src/auth/docs.ts          rewrites them in docs/security.md
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildApp } from "../app.ts";
import { documentContext } from "../openapi/dump.ts";
import {
  ACTIONS,
  type Action,
  allows,
  type Principal,
  SITE_ROLES,
  TOKEN_SCOPE_NAMES,
  TOKEN_SCOPES,
} from "./permissions.ts";
import type { RouteAccess } from "./plugin.ts";

export const SECURITY_DOC = fileURLToPath(new URL("../../../docs/security.md", import.meta.url));

const BEGIN = (name: string) =>
  `<!-- generated: ${name} (pnpm --filter @sightline/backend docs) -->`;
const END = (name: string) => `<!-- end generated: ${name} -->`;

const SITE = "example.com";
const probe = (roles: Principal["roles"], instanceAdmin = false): Principal => ({
  kind: "user",
  id: "docs",
  email: "docs@example.test",
  instanceAdmin,
  roles,
});

/** Actions × roles: the columns are a role on the site in question, then an instance admin. */
export function permissionsTable(): string {
  const columns: [string, Principal][] = [
    ...[...SITE_ROLES]
      .reverse()
      .map((role): [string, Principal] => [role, probe({ [SITE]: role })]),
    ["instance admin", probe({}, true)],
  ];
  const lines = [
    `| action | ${columns.map(([name]) => name).join(" | ")} | what it allows |`,
    `|---|${columns.map(() => "---|").join("")}---|`,
  ];
  for (const [name, def] of Object.entries(ACTIONS) as [Action, (typeof ACTIONS)[Action]][]) {
    const cells = columns.map(([, who]) => (allows(who, name, SITE) ? "✓" : "–"));
    const scope =
      def.scope === "public"
        ? "anyone, signed in or not: "
        : def.scope === "account"
          ? "every signed-in user, on their own account: "
          : def.scope === "instance"
            ? "instance admins only: "
            : def.scope === "share"
              ? "a share link's viewer only (no user, role or API token): "
              : "on that site: ";
    lines.push(`| \`${name}\` | ${cells.join(" | ")} | ${scope}${def.verb} |`);
  }
  return lines.join("\n");
}

/** API token scopes and the actions each opens. */
export function tokenScopesTable(): string {
  const lines = ["  | scope | actions | what it allows |", "  |---|---|---|"];
  for (const name of TOKEN_SCOPE_NAMES) {
    const { actions, description } = TOKEN_SCOPES[name];
    lines.push(`  | \`${name}\` | ${actions.map((a) => `\`${a}\``).join(", ")} | ${description} |`);
  }
  return lines.join("\n");
}

/** Every /api/v1 route, the action it needs and where its sites come from. */
export function routesTable(routes: readonly RouteAccess[]): string {
  const lines = ["| route | action | sites checked |", "|---|---|---|"];
  const seen = new Set<string>();
  for (const { method, url, access } of routes) {
    // The docs page's own assets are one row.
    const shown = url.startsWith("/api/v1/docs/") ? "/api/v1/docs/*" : url;
    const key = `${method} ${shown}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`| \`${key}\` | \`${access.action}\` | ${access.sites?.label ?? "–"} |`);
  }
  return lines.join("\n");
}

/** The app's route table, built as the OpenAPI dump builds it: registration only, no I/O. */
export async function appRoutes(): Promise<RouteAccess[]> {
  const app = await buildApp(documentContext());
  try {
    await app.ready();
    return [...app.accessRoutes];
  } finally {
    await app.close();
  }
}

/** `text` with each generated section replaced by its current content. */
export function withGenerated(text: string, sections: Record<string, string>): string {
  let out = text;
  for (const [name, body] of Object.entries(sections)) {
    const start = out.indexOf(BEGIN(name));
    const end = out.indexOf(END(name));
    if (start === -1 || end === -1) throw new Error(`docs/security.md has no "${name}" section`);
    out = `${out.slice(0, start)}${BEGIN(name)}\n${body}\n${out.slice(end)}`;
  }
  return out;
}

export async function generatedSections(): Promise<Record<string, string>> {
  return {
    permissions: permissionsTable(),
    "token scopes": tokenScopesTable(),
    routes: routesTable(await appRoutes()),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = readFileSync(SECURITY_DOC, "utf8");
  writeFileSync(SECURITY_DOC, withGenerated(text, await generatedSections()));
}
