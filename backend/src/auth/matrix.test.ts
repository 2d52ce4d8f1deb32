// Every API route, called as every kind of caller, with the exact status each must get. The
// routes come from the app's own route table (collected as they register), so a new route
// without a sample here fails, and so does a sample for a route that no longer exists. Every
// denial is checked, not only what is allowed. API tokens (one per scope, of an instance admin,
// reaching SITE) are columns too: a token gets what its scopes open on its sites, 403 elsewhere.
// So are two share links' viewers (SITE's dashboard, and a custom dashboard of SITE): they reach
// the /shared routes their dashboard draws, and every other route but the public ones is a 403.
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, addUser, adminEnv, login, testStack } from "../testing/stack.ts";
import {
  type Action,
  definition,
  ROLE_RANK,
  type SiteRole,
  TOKEN_SCOPE_NAMES,
  type TokenScope,
  tokenActions,
} from "./permissions.ts";

let stack: Awaited<ReturnType<typeof testStack>>;

const SITE = "matrix.test";
const OTHER = "other.test";
const password = "matrix passphrase of quiet rivers";

/** The callers, each a column of the matrix. */
const CALLERS = [
  "anonymous",
  "disabled",
  "none",
  "viewer",
  "editor",
  "admin",
  "owner",
  "instanceAdmin",
  ...TOKEN_SCOPE_NAMES.map((scope) => `token ${scope}` as const),
  "share site",
  "share dashboard",
] as const;
type Caller = (typeof CALLERS)[number];
type TokenCaller = `token ${TokenScope}`;
const tokenScope = (caller: Caller): TokenScope | null =>
  caller.startsWith("token ") ? (caller.slice("token ".length) as TokenScope) : null;

interface Account {
  email: string;
  id: string;
  token: string;
}
const accounts = new Map<Caller, Account>();
/** The tokens of the two share links (the part after /share/). */
const shareLinks = { site: "", dashboard: "" };

/**
 * The least a caller must be for the route: anyone, signed in, a role on SITE, or instance admin;
 * or a share link's viewer.
 */
type Who = "public" | "account" | SiteRole | "instance" | "share";

interface Sample {
  who: Who;
  /** The status of an allowed call. */
  ok: number;
  /** Exceptions to the rule, by caller. */
  except?: Partial<Record<Caller, number>>;
  /** The request (url, body, headers) for this caller; fresh fixtures where the call destroys. */
  request(caller: Caller): Promise<Partial<InjectOptions>> | Partial<InjectOptions>;
}

/**
 * What each caller must get, from the sample's rule: the matrix's cells. An API token (of an
 * instance admin, so owner of SITE through it) gets the allowed status where its scopes open the
 * route's action, and 403 everywhere else that needs a sign-in.
 */
function expected(sample: Sample, caller: Caller, action: Action): number {
  const override = sample.except?.[caller];
  if (override !== undefined) return override;
  if (sample.who === "public") return sample.ok;
  if (sample.who === "share") {
    if (caller === "share site" || caller === "share dashboard") return sample.ok;
    return caller === "anonymous" || caller === "disabled" ? 401 : 403;
  }
  if (caller === "share site" || caller === "share dashboard") return 403;
  const scope = tokenScope(caller);
  if (scope) {
    if (definition(action).scope === "public") return sample.ok;
    return tokenActions([scope]).includes(action) ? sample.ok : 403;
  }
  if (caller === "anonymous" || caller === "disabled") return 401;
  if (sample.who === "account" || caller === "instanceAdmin") return sample.ok;
  if (sample.who === "instance" || caller === "none") return 403;
  const role = roleOf(caller);
  return role && ROLE_RANK[role] >= ROLE_RANK[sample.who] ? sample.ok : 403;
}

let serial = 0;
const unique = (what: string) => `${what}-${++serial}`;
const FROM = "2026-03-01";
const range = { sites: [SITE], from: FROM, to: "2026-03-07", tz: "UTC" };
const spec = { ...range, metrics: ["visitors"] };
const widget = { name: "Visitors", source: { kind: "query", spec }, visual: { type: "number" } };
const dashboardBody = () => ({ name: unique("Board"), sites: [SITE], widgets: [widget] });

async function asAdmin(options: InjectOptions) {
  const token = accounts.get("instanceAdmin")?.token ?? "";
  const res = await stack.app.inject({
    ...options,
    headers: { authorization: `Bearer ${token}`, ...options.headers },
  });
  expect(res.statusCode, `${options.method} ${options.url}: ${res.body}`).toBeLessThan(300);
  return res.json();
}

/** A dashboard of SITE with one widget, made for one call that changes or deletes it. */
async function freshDashboard(): Promise<{ id: string; widget: string }> {
  const d = await asAdmin({ method: "POST", url: "/api/v1/dashboards", payload: dashboardBody() });
  return { id: d.id, widget: d.widgets[0].id };
}

/** A user nobody signs in as, for calls that change or delete one. */
function throwaway(roles: Record<string, SiteRole> = {}) {
  const user = stack.store.users.create({
    email: `${unique("throwaway")}@example.test`,
    passwordHash: "scrypt$not-a-real-hash",
    roles,
  });
  if (!user) throw new Error("throwaway user");
  return user;
}

/** A new session of the caller (for calls that end one), or their usual token. */
async function freshToken(caller: Caller): Promise<string> {
  const account = accounts.get(caller);
  if (!account || caller === "disabled" || tokenScope(caller) || caller.startsWith("share ")) {
    return account?.token ?? "";
  }
  return login(stack, caller === "instanceAdmin" ? ADMIN : { email: account.email, password });
}

/** What the shared custom dashboard draws: a query widget and one widget per report kind. */
const SHARED_WIDGETS = {
  query: spec,
  funnel: { ...range, steps: [{ page: "/" }, { event: "signup" }] },
  retention: range,
  journeys: { ...range, page: "/" },
};
const sharedBoard = () => ({
  name: "Shared",
  sites: [SITE],
  widgets: [
    { name: "q", source: { kind: "query", spec }, visual: { type: "number" } },
    {
      name: "f",
      source: { kind: "funnel", body: SHARED_WIDGETS.funnel },
      visual: { type: "funnel" },
    },
    {
      name: "r",
      source: { kind: "retention", body: SHARED_WIDGETS.retention },
      visual: { type: "retention" },
    },
    {
      name: "j",
      source: { kind: "journeys", body: SHARED_WIDGETS.journeys },
      visual: { type: "sankey" },
    },
  ],
});

/** A share link's page route: SITE's dashboard draws these, a custom dashboard its widgets'. */
const sharedReport = (name: string, body: object, widget: boolean): [string, Sample] => [
  `POST /api/v1/shared/reports/${name}`,
  {
    who: "share",
    ok: 200,
    // A site's link never draws a widget report; a custom dashboard's never the site's reports.
    except: widget ? { "share site": 403 } : { "share dashboard": 403 },
    request: () => ({ payload: body }),
  },
];

const report = (name: string, body: object = range): [string, Sample] => [
  `POST /api/v1/reports/${name}`,
  { who: "viewer", ok: 200, request: () => ({ payload: body }) },
];

const SAMPLES: Record<string, Sample> = {
  // Signing in: public, the same answer for everyone.
  "GET /api/v1/auth/status": { who: "public", ok: 200, request: () => ({}) },
  "POST /api/v1/auth/setup": {
    who: "public",
    ok: 409,
    request: () => ({ payload: { token: "x", email: "x@example.test", password } }),
  },
  "POST /api/v1/auth/login": {
    who: "public",
    ok: 401,
    // One wrong guess per caller, each from its own address, so no throttle is reached.
    request: (caller) => ({
      payload: { email: `${caller}@nowhere.test`, password: "wrong password here" },
      remoteAddress: `192.0.2.${CALLERS.indexOf(caller) + 10}`,
    }),
  },
  "POST /api/v1/auth/refresh": {
    who: "public",
    ok: 401,
    request: () => ({ payload: { refreshToken: "no-session.no-secret" } }),
  },
  "POST /api/v1/auth/invitations/lookup": {
    who: "public",
    ok: 404,
    request: () => ({ payload: { token: "not-a-real-invitation-token" } }),
  },
  "POST /api/v1/auth/invitations/accept": {
    who: "public",
    ok: 404,
    request: () => ({ payload: { token: "not-a-real-invitation-token", password } }),
  },
  "POST /api/v1/auth/password-reset": {
    who: "public",
    ok: 404,
    request: () => ({ payload: { token: "not-a-real-reset-token", password } }),
  },
  "GET /api/v1/auth/methods": { who: "public", ok: 200, request: () => ({}) },
  // auth.oidc is off here: the flow's routes answer 404 to everyone (src/routes/oidc.test.ts).
  "GET /api/v1/auth/oidc/start": { who: "public", ok: 404, request: () => ({}) },
  "GET /api/v1/auth/oidc/callback": {
    who: "public",
    ok: 404,
    request: () => ({ url: "/api/v1/auth/oidc/callback?code=x&state=y" }),
  },
  "GET /api/v1/openapi.json": { who: "public", ok: 200, request: () => ({}) },
  "GET /api/v1/docs": { who: "public", ok: 200, request: () => ({}) },

  // One's own account: any signed-in user.
  "GET /api/v1/me": { who: "account", ok: 200, request: () => ({}) },
  "POST /api/v1/auth/logout": {
    who: "account",
    ok: 200,
    request: async (caller) => ({
      headers: { authorization: `Bearer ${await freshToken(caller)}` },
    }),
  },
  "POST /api/v1/auth/password": {
    who: "account",
    // A wrong current password: nobody's password changes here.
    ok: 400,
    request: () => ({ payload: { currentPassword: "not the one", newPassword: password } }),
  },
  "GET /api/v1/auth/sessions": { who: "account", ok: 200, request: () => ({}) },
  "DELETE /api/v1/auth/sessions/:id": {
    who: "account",
    ok: 200,
    request: async (caller) => {
      const token = await freshToken(caller);
      // A token's caller names the admin's own latest session (refused all the same: 403).
      const jwt = tokenScope(caller) ? await freshToken("instanceAdmin") : token;
      if (jwt && caller.startsWith("share ")) return { url: "/api/v1/auth/sessions/none" };
      const sid = jwt ? (stack.app.jwt.decode<{ sid: string }>(jwt)?.sid ?? "none") : "none";
      return { url: `/api/v1/auth/sessions/${sid}` };
    },
  },
  "GET /api/v1/sites": { who: "account", ok: 200, request: () => ({}) },

  // Your own API tokens: signed-in users, never a token.
  "GET /api/v1/tokens": { who: "account", ok: 200, request: () => ({}) },
  "POST /api/v1/tokens": {
    who: "account",
    ok: 201,
    // Each caller on a site it has a role on ("none" owns OTHER).
    request: (caller) => ({
      payload: {
        name: unique("token"),
        sites: [caller === "none" ? OTHER : SITE],
        scopes: ["reports:read"],
      },
    }),
  },
  "DELETE /api/v1/tokens/:id": {
    who: "account",
    ok: 200,
    request: (caller) => {
      const userId = accounts.get(caller)?.id ?? accounts.get("viewer")?.id ?? "";
      const { token } = stack.store.tokens.create(
        { userId, name: unique("doomed"), sites: [SITE], scopes: ["reports:read"] },
        60_000,
      );
      return { url: `/api/v1/tokens/${token.id}` };
    },
  },

  // The instance: instance admins only.
  "GET /api/v1/users": { who: "instance", ok: 200, request: () => ({}) },
  "GET /api/v1/users/:id": {
    who: "instance",
    ok: 200,
    request: () => ({ url: `/api/v1/users/${accounts.get("viewer")?.id}` }),
  },
  "PATCH /api/v1/users/:id": {
    who: "instance",
    ok: 200,
    request: () => ({ url: `/api/v1/users/${throwaway().id}`, payload: { disabled: true } }),
  },
  "DELETE /api/v1/users/:id": {
    who: "instance",
    ok: 200,
    request: () => ({ url: `/api/v1/users/${throwaway().id}` }),
  },
  "POST /api/v1/users/:id/password-reset": {
    who: "instance",
    ok: 201,
    request: () => ({ url: `/api/v1/users/${throwaway().id}/password-reset` }),
  },
  "DELETE /api/v1/users/:id/sessions": {
    who: "instance",
    ok: 200,
    request: () => ({ url: `/api/v1/users/${throwaway().id}/sessions` }),
  },
  "GET /api/v1/audit": { who: "instance", ok: 200, request: () => ({}) },
  "POST /api/v1/sites": {
    who: "instance",
    ok: 201,
    request: () => ({ payload: { id: `${unique("new")}.test`, domains: ["new.test"] } }),
  },

  // Members and invitations: owners and admins of the site.
  "POST /api/v1/invitations": {
    who: "admin",
    ok: 201,
    request: () => ({
      payload: {
        email: `${unique("invitee")}@example.test`,
        sites: [{ site: SITE, role: "viewer" }],
      },
    }),
  },
  "GET /api/v1/invitations": {
    who: "admin",
    ok: 200,
    // Owner of another site: may list invitations, and sees only those to that site.
    except: { none: 200 },
    request: () => ({}),
  },
  "DELETE /api/v1/invitations/:id": {
    who: "admin",
    ok: 200,
    request: async () => {
      const invitation = await asAdmin({
        method: "POST",
        url: "/api/v1/invitations",
        payload: {
          email: `${unique("withdrawn")}@example.test`,
          sites: [{ site: SITE, role: "viewer" }],
        },
      });
      return { url: `/api/v1/invitations/${invitation.id}` };
    },
  },
  "GET /api/v1/sites/:id/members": {
    who: "admin",
    ok: 200,
    request: () => ({ url: `/api/v1/sites/${SITE}/members` }),
  },
  "POST /api/v1/sites/:id/members": {
    who: "admin",
    ok: 200,
    request: () => ({
      url: `/api/v1/sites/${SITE}/members`,
      payload: { email: throwaway().email, role: "viewer" },
    }),
  },
  "PUT /api/v1/sites/:id/members/:userId": {
    who: "admin",
    ok: 200,
    request: () => ({
      url: `/api/v1/sites/${SITE}/members/${throwaway({ [SITE]: "viewer" }).id}`,
      payload: { role: "editor" },
    }),
  },
  "DELETE /api/v1/sites/:id/members/:userId": {
    who: "admin",
    ok: 200,
    request: () => ({
      url: `/api/v1/sites/${SITE}/members/${throwaway({ [SITE]: "viewer" }).id}`,
    }),
  },

  // The site itself.
  "GET /api/v1/sites/:id": {
    who: "viewer",
    ok: 200,
    request: () => ({ url: `/api/v1/sites/${SITE}` }),
  },
  "GET /api/v1/sites/:id/status": {
    who: "viewer",
    ok: 200,
    request: () => ({ url: `/api/v1/sites/${SITE}/status` }),
  },
  "PATCH /api/v1/sites/:id": {
    who: "admin",
    ok: 200,
    request: () => ({ url: `/api/v1/sites/${SITE}`, payload: { name: unique("Matrix") } }),
  },
  "DELETE /api/v1/sites/:id": {
    who: "owner",
    ok: 200,
    // A fresh site where every caller has the role it has on SITE.
    request: () => {
      const id = `${unique("doomed")}.test`;
      stack.store.createSite({ id, name: id, domains: [id] });
      for (const [caller, account] of accounts) {
        const role = roleOf(caller);
        if (role) {
          stack.store.users.update(account.id, (u) => ({
            ...u,
            roles: { ...u.roles, [id]: role },
          }));
        }
      }
      return { url: `/api/v1/sites/${id}`, payload: { confirm: id } };
    },
  },

  // Reports and queries: every role.
  "GET /api/v1/stats/daily": {
    who: "viewer",
    ok: 200,
    request: () => ({ url: `/api/v1/stats/daily?site=${SITE}&from=${FROM}&to=2026-03-07` }),
  },
  "POST /api/v1/query": { who: "viewer", ok: 200, request: () => ({ payload: spec }) },
  "GET /api/v1/query/meta": {
    who: "viewer",
    ok: 200,
    // A role on any site opens the vocabulary.
    except: { none: 200 },
    request: () => ({}),
  },
  "POST /api/v1/query/export": {
    who: "viewer",
    ok: 200,
    request: () => ({ url: "/api/v1/query/export?format=csv", payload: spec }),
  },
  ...Object.fromEntries([
    report("overview"),
    report("realtime", { sites: [SITE] }),
    report("pages"),
    report("sources"),
    report("geography"),
    report("devices"),
    report("events"),
    report("properties"),
    report("revenue"),
    report("goals", { ...range, goals: [{ event: "signup" }] }),
    report("funnel", { ...range, steps: [{ page: "/" }, { event: "signup" }] }),
    report("retention"),
    report("journeys", { ...range, page: "/" }),
    report("errors"),
    report("web-vitals"),
  ]),
  "PUT /api/v1/errors/:site/:fingerprint": {
    who: "editor",
    ok: 200,
    request: () => ({ url: `/api/v1/errors/${SITE}/abc123`, payload: { state: "resolved" } }),
  },

  // Share links: editors and up make and revoke them; anyone opens one; its viewer reads it.
  "GET /api/v1/shares": {
    who: "editor",
    ok: 200,
    // Owner of another site: may list, and sees only that site's links.
    except: { none: 200 },
    request: () => ({}),
  },
  "POST /api/v1/shares": { who: "editor", ok: 201, request: () => ({ payload: { site: SITE } }) },
  "DELETE /api/v1/shares/:id": {
    who: "editor",
    ok: 200,
    request: () => {
      const { share } = stack.store.shares.create(
        {
          kind: "site",
          target: SITE,
          name: unique("doomed"),
          sites: [SITE],
          frameAncestors: [],
          createdBy: { id: "", email: "" },
        },
        null,
        undefined,
      );
      return { url: `/api/v1/shares/${share.id}` };
    },
  },
  "POST /api/v1/shared/open": {
    who: "public",
    ok: 200,
    request: (caller) => ({
      payload: { token: shareLinks.site },
      remoteAddress: `192.0.2.${CALLERS.indexOf(caller) + 40}`,
    }),
  },
  "POST /api/v1/shared/query": { who: "share", ok: 200, request: () => ({ payload: spec }) },
  ...Object.fromEntries([
    sharedReport("overview", range, false),
    sharedReport("realtime", { sites: [SITE] }, false),
    sharedReport("events", range, false),
    sharedReport("properties", range, false),
    sharedReport("revenue", range, false),
    sharedReport("funnel", SHARED_WIDGETS.funnel, true),
    sharedReport("retention", SHARED_WIDGETS.retention, true),
    sharedReport("journeys", SHARED_WIDGETS.journeys, true),
  ]),

  // Dashboards: viewers read, editors change.
  "GET /api/v1/dashboards": {
    who: "viewer",
    ok: 200,
    except: { none: 200 },
    request: () => ({}),
  },
  "POST /api/v1/dashboards": {
    who: "editor",
    ok: 201,
    request: () => ({ payload: dashboardBody() }),
  },
  "POST /api/v1/dashboards/import": {
    who: "editor",
    ok: 201,
    request: () => ({
      payload: { format: "sightline-dashboard", formatVersion: 1, dashboard: dashboardBody() },
    }),
  },
  "GET /api/v1/dashboards/:id": {
    who: "viewer",
    ok: 200,
    request: async () => ({ url: `/api/v1/dashboards/${(await freshDashboard()).id}` }),
  },
  "PUT /api/v1/dashboards/:id": {
    who: "editor",
    ok: 200,
    request: async () => ({
      url: `/api/v1/dashboards/${(await freshDashboard()).id}`,
      headers: { "if-match": '"1"' },
      payload: dashboardBody(),
    }),
  },
  "DELETE /api/v1/dashboards/:id": {
    who: "editor",
    ok: 200,
    request: async () => ({
      url: `/api/v1/dashboards/${(await freshDashboard()).id}`,
      headers: { "if-match": '"1"' },
    }),
  },
  "POST /api/v1/dashboards/:id/duplicate": {
    who: "editor",
    ok: 201,
    request: async () => ({ url: `/api/v1/dashboards/${(await freshDashboard()).id}/duplicate` }),
  },
  "GET /api/v1/dashboards/:id/export": {
    who: "viewer",
    ok: 200,
    request: async () => ({ url: `/api/v1/dashboards/${(await freshDashboard()).id}/export` }),
  },
  "GET /api/v1/dashboards/:id/versions": {
    who: "viewer",
    ok: 200,
    request: async () => ({ url: `/api/v1/dashboards/${(await freshDashboard()).id}/versions` }),
  },
  "GET /api/v1/dashboards/:id/versions/:version": {
    who: "viewer",
    ok: 200,
    request: async () => ({
      url: `/api/v1/dashboards/${(await freshDashboard()).id}/versions/1`,
    }),
  },
  "POST /api/v1/dashboards/:id/versions/:version/restore": {
    who: "editor",
    ok: 200,
    request: async () => ({
      url: `/api/v1/dashboards/${(await freshDashboard()).id}/versions/1/restore`,
      headers: { "if-match": '"1"' },
    }),
  },
  "POST /api/v1/dashboards/:id/widgets": {
    who: "editor",
    ok: 201,
    request: async () => ({
      url: `/api/v1/dashboards/${(await freshDashboard()).id}/widgets`,
      headers: { "if-match": '"1"' },
      payload: widget,
    }),
  },
  "PUT /api/v1/dashboards/:id/widgets/:widgetId": {
    who: "editor",
    ok: 200,
    request: async () => {
      const d = await freshDashboard();
      return {
        url: `/api/v1/dashboards/${d.id}/widgets/${d.widget}`,
        headers: { "if-match": '"1"' },
        payload: { ...widget, name: "Renamed" },
      };
    },
  },
  "DELETE /api/v1/dashboards/:id/widgets/:widgetId": {
    who: "editor",
    ok: 200,
    request: async () => {
      const d = await freshDashboard();
      return {
        url: `/api/v1/dashboards/${d.id}/widgets/${d.widget}`,
        headers: { "if-match": '"1"' },
      };
    },
  },
  "POST /api/v1/dashboards/:id/widgets/:widgetId/duplicate": {
    who: "editor",
    ok: 201,
    request: async () => {
      const d = await freshDashboard();
      return {
        url: `/api/v1/dashboards/${d.id}/widgets/${d.widget}/duplicate`,
        headers: { "if-match": '"1"' },
      };
    },
  },
};

/** The role a caller has on SITE. */
function roleOf(caller: Caller): SiteRole | null {
  return caller === "viewer" || caller === "editor" || caller === "admin" || caller === "owner"
    ? caller
    : null;
}

/** The docs page's own assets (Swagger UI's routes): public files, sampled by their path. */
function docsSample(url: string): Sample {
  return {
    who: "public",
    ok: /\/static\/index\.html$/.test(url) ? 302 : 200,
    request: () => ({ url: url.replace("*", "swagger-ui.css") }),
  };
}

beforeAll(async () => {
  stack = await testStack(adminEnv());
  const adminToken = await login(stack);
  const admin = stack.store.users.list().find((u) => u.instanceAdmin);
  accounts.set("instanceAdmin", {
    email: admin?.email ?? "",
    id: admin?.id ?? "",
    token: adminToken,
  });
  for (const id of [SITE, OTHER]) {
    await asAdmin({ method: "POST", url: "/api/v1/sites", payload: { id, domains: [id] } });
  }
  // Each caller: a user with that role on SITE; "none" owns another site; "disabled" owned SITE.
  for (const caller of ["none", "viewer", "editor", "admin", "owner", "disabled"] as const) {
    const email = `${caller}@matrix.test`;
    const role = roleOf(caller);
    const roles: Record<string, SiteRole> =
      caller === "none" ? { [OTHER]: "owner" } : { [SITE]: role ?? "owner" };
    const user = await addUser(stack, { email, password }, { roles });
    accounts.set(caller, { email, id: user.id, token: await login(stack, { email, password }) });
  }
  // One token per scope, of the instance admin, reaching SITE only.
  for (const scope of TOKEN_SCOPE_NAMES) {
    const { secret } = await asAdmin({
      method: "POST",
      url: "/api/v1/tokens",
      payload: { name: `matrix ${scope}`, sites: [SITE], scopes: [scope] },
    });
    const caller: TokenCaller = `token ${scope}`;
    accounts.set(caller, { email: admin?.email ?? "", id: admin?.id ?? "", token: secret });
  }
  // Two share links and their viewers: SITE's dashboard, and a custom dashboard of SITE.
  const board = await asAdmin({
    method: "POST",
    url: "/api/v1/dashboards",
    payload: sharedBoard(),
  });
  for (const [kind, body] of [
    ["site", { site: SITE }],
    ["dashboard", { dashboard: board.id }],
  ] as const) {
    const made = await asAdmin({ method: "POST", url: "/api/v1/shares", payload: body });
    shareLinks[kind] = made.url.split("/share/")[1];
    const opened = await asAdmin({
      method: "POST",
      url: "/api/v1/shared/open",
      payload: { token: shareLinks[kind] },
    });
    accounts.set(`share ${kind}`, { email: "", id: made.share.id, token: opened.token });
  }
  const disabled = accounts.get("disabled");
  await asAdmin({
    method: "PATCH",
    url: `/api/v1/users/${disabled?.id}`,
    payload: { disabled: true },
  });
});
afterAll(() => stack.close());

describe("the role × route matrix", () => {
  it("has a sample for every route, and no sample for a route that is gone", () => {
    const registered = stack.app.accessRoutes
      .filter((r) => !r.url.startsWith("/api/v1/docs/"))
      .map((r) => `${r.method} ${r.url}`);
    expect(new Set(registered).size).toBe(registered.length);
    expect([...registered].sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it("answers each caller of each route exactly as its declared access says", async () => {
    const cells: string[] = [];
    const wrong: string[] = [];
    for (const route of stack.app.accessRoutes) {
      const key = `${route.method} ${route.url}`;
      const sample = route.url.startsWith("/api/v1/docs/") ? docsSample(route.url) : SAMPLES[key];
      if (!sample) continue;
      for (const caller of CALLERS) {
        const request = await sample.request(caller);
        const token = accounts.get(caller)?.token;
        const res = await stack.app.inject({
          method: route.method as InjectOptions["method"],
          url: route.url,
          ...request,
          headers: {
            ...(token && caller !== "anonymous" ? { authorization: `Bearer ${token}` } : {}),
            ...request.headers,
          },
        } as InjectOptions);
        const want = expected(sample, caller, route.access.action);
        cells.push(`${key} ${caller} ${res.statusCode}`);
        if (res.statusCode !== want) {
          wrong.push(
            `${key} as ${caller}: ${res.statusCode}, not ${want} (${res.body.slice(0, 160)})`,
          );
        }
        // A denial says why, in the API's error shape.
        if (res.statusCode === 401 || res.statusCode === 403) {
          expect(res.json(), key).toMatchObject({
            statusCode: res.statusCode,
            code: expect.any(String),
          });
        }
      }
    }
    expect(wrong).toEqual([]);
    // Every route was called as every caller.
    expect(cells.length).toBe(stack.app.accessRoutes.length * CALLERS.length);
  }, 180_000);
});
