/**
 * Who may do what: the ONE definition. Every API route names the action it needs
 * (`config.access`, checked by the guard in ./plugin.ts), docs/security.md's table is generated
 * from ACTIONS (./docs.ts), and src/auth/matrix.test.ts calls every route as every role.
 */

/** Roles on one site, most rights first. */
export const SITE_ROLES = ["owner", "admin", "editor", "viewer"] as const;
export type SiteRole = (typeof SITE_ROLES)[number];

/** Higher is more: a role may hand out roles up to its own (`mayAssign`). */
export const ROLE_RANK: Readonly<Record<SiteRole, number>> = {
  viewer: 1,
  editor: 2,
  admin: 3,
  owner: 4,
};

/**
 * - `public`: anyone, signed in or not (sign-in itself, the API document).
 * - `account`: any signed-in user, on their own account only.
 * - `site`: the listed roles on every site the request names; instance admins always.
 * - `instance`: instance admins only.
 * - `share`: a share link's viewer only, on what that link shares (src/routes/shared.ts).
 */
type Scope = "public" | "account" | "site" | "instance" | "share";

interface ActionDefinition {
  scope: Scope;
  /** Completes "You may not …" in a refusal, and the docs table. */
  verb: string;
  /** `site` actions: the roles that may. */
  roles?: readonly SiteRole[];
}

const ALL: readonly SiteRole[] = SITE_ROLES;

export const ACTIONS = {
  public: {
    scope: "public",
    verb: "see how to sign in, sign in (with a password or the OpenID provider), set up the first admin, accept an invitation or a reset link, read the API document",
  },
  "account.use": {
    scope: "account",
    verb: "read your own account, change your password, list, revoke and end your own sessions",
  },
  "sites.list": {
    scope: "account",
    verb: "list the sites you (or an API token, its sites) may read",
  },
  "tokens.manage": {
    scope: "account",
    verb: "create, list and revoke your own API tokens",
  },
  "reports.read": {
    scope: "site",
    verb: "read the site, its status, reports, queries, exports and the query vocabulary",
    roles: ALL,
  },
  "dashboards.read": {
    scope: "site",
    verb: "read the dashboards of the site (every site a dashboard or its widgets name), their versions and exports",
    roles: ALL,
  },
  "errors.triage": {
    scope: "site",
    verb: "set the triage state of the site's error groups",
    roles: ["owner", "admin", "editor"],
  },
  "dashboards.manage": {
    scope: "site",
    verb: "create, change, duplicate, import, restore and delete dashboards of the site",
    roles: ["owner", "admin", "editor"],
  },
  "shares.manage": {
    scope: "site",
    verb: "create, list and revoke read-only share links to the site's dashboard or its dashboards",
    roles: ["owner", "admin", "editor"],
  },
  "sites.edit": {
    scope: "site",
    verb: "change the site's name, domains, time zone, retention, tracker identity mode and features",
    roles: ["owner", "admin"],
  },
  "members.manage": {
    scope: "site",
    verb: "list the site's members and invitations, invite people, change or remove their roles (owners only by owners)",
    roles: ["owner", "admin"],
  },
  "sites.delete": {
    scope: "site",
    verb: "delete the site with all its data",
    roles: ["owner"],
  },
  "sites.create": { scope: "instance", verb: "create sites" },
  "users.manage": {
    scope: "instance",
    verb: "list users, make or unmake instance admins, disable, reset passwords, end their sessions, delete users",
  },
  "audit.read": { scope: "instance", verb: "read the audit log" },
  "shared.view": {
    scope: "share",
    verb: "view the one dashboard a share link opens, and run only the queries it draws",
  },
} as const satisfies Record<string, ActionDefinition>;

export type Action = keyof typeof ACTIONS;

export function definition(action: Action): ActionDefinition {
  return ACTIONS[action];
}

/**
 * The scopes of an API token: each opens these actions, on the token's sites only, and never
 * beyond what its user's own role there allows (the roles are the user's, read on every request).
 * Every token may also list the sites it reaches (`sites.list`).
 */
export const TOKEN_SCOPES = {
  "reports:read": {
    actions: ["reports.read", "dashboards.read"],
    description: "read the sites, their reports, queries, exports and dashboards",
  },
  "dashboards:manage": {
    actions: ["dashboards.read", "dashboards.manage"],
    description: "read, create, change and delete dashboards",
  },
  "ingest:admin": {
    actions: ["sites.edit"],
    description:
      "change what the sites collect: domains, time zone, retention, tracker identity and features",
  },
} as const satisfies Record<string, { actions: readonly Action[]; description: string }>;

export type TokenScope = keyof typeof TOKEN_SCOPES;
export const TOKEN_SCOPE_NAMES = Object.keys(TOKEN_SCOPES) as TokenScope[];

/** The actions a token with these scopes may call (its roles still decide each site). */
export function tokenActions(scopes: readonly TokenScope[]): Action[] {
  return [...new Set<Action>(["sites.list", ...scopes.flatMap((s) => TOKEN_SCOPES[s].actions)])];
}

/**
 * Whoever a request acts for: a signed-in user, an API token (acting for its user, narrowed to
 * its sites and scopes), or a share link's viewer. All are evaluated by the same `allows`.
 */
export interface Principal {
  kind: "user" | "token" | "share";
  /** The user's id (users, tokens); the share link's id (shares). */
  id: string;
  email: string;
  instanceAdmin: boolean;
  /** Role by site id. */
  roles: Readonly<Record<string, SiteRole>>;
  /** When set, only these actions, whatever the roles allow (tokens, share links). */
  scopes?: readonly Action[];
  /** The sign-in session the request runs under. */
  sessionId?: string;
  /** The API token the request runs under. */
  tokenId?: string;
}

/**
 * Whether `principal` may do `action` on `site`. Without a site, whether it may on at least one
 * site (the early check, before the request's sites are known).
 */
export function allows(principal: Principal | null, action: Action, site?: string): boolean {
  const def: ActionDefinition = ACTIONS[action];
  if (def.scope === "public") return true;
  if (!principal) return false;
  if (principal.scopes && !principal.scopes.includes(action)) return false;
  if (def.scope === "share") return principal.kind === "share";
  if (principal.kind === "share") return false;
  // A token reaches the account actions its scopes name (listing its sites), no others.
  if (def.scope === "account") return true;
  if (principal.instanceAdmin) return true;
  if (def.scope === "instance") return false;
  const roles = def.roles ?? [];
  if (site === undefined) return Object.values(principal.roles).some((r) => roles.includes(r));
  const role = principal.roles[site];
  return role !== undefined && roles.includes(role);
}

/** The sites (of `known`) on which `principal` may do `action`. */
export function sitesAllowing(
  principal: Principal,
  action: Action,
  known: readonly string[],
): string[] {
  return known.filter((site) => allows(principal, action, site));
}

/**
 * Whether `principal` may give `role` on `site` to someone whose role there is `current` (null:
 * none). Instance admins and owners may give any role; a site admin may give admin, editor and
 * viewer, and may not change or remove an owner.
 */
export function mayAssign(
  principal: Principal,
  site: string,
  role: SiteRole | null,
  current: SiteRole | null,
): boolean {
  if (principal.instanceAdmin) return true;
  const own = principal.roles[site];
  if (!own || !allows(principal, "members.manage", site)) return false;
  const rank = ROLE_RANK[own];
  if (current && ROLE_RANK[current] > rank) return false;
  return role === null || ROLE_RANK[role] <= rank;
}
