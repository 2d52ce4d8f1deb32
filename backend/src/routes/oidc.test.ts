// Sign-in with an OpenID provider, end to end: a real oidc-provider on 127.0.0.1 (PKCE required,
// real ID tokens), the real stack (LMDB, sessions), and the browser's part played over HTTP.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../stack.ts";
import { startProvider, type TestProvider } from "../testing/oidc-provider.ts";
import { addUser, testStack } from "../testing/stack.ts";
import { PENDING_COOKIE, SIGNED_IN_LOCATION } from "./oidc.ts";

const REDIRECT = "http://127.0.0.1:8080/api/v1/auth/oidc/callback";
let provider: TestProvider;
let stack: Stack;

beforeAll(async () => {
  provider = await startProvider({
    redirectUri: REDIRECT,
    people: {
      ada: { email: "Ada@Example.test", email_verified: true, groups: ["ops", "marketing"] },
      bea: { email: "bea@example.test", email_verified: true, groups: ["marketing", "shop-team"] },
      cy: { email: "cy@example.test", email_verified: true, groups: ["visitors"] },
      dee: { email: "dee@example.test", email_verified: true, groups: ["marketing"] },
      eve: { email: "eve@example.test", email_verified: true },
    },
  });
  const config = join(mkdtempSync(join(tmpdir(), "sl-oidc-")), "sightline.yaml");
  writeFileSync(
    config,
    [
      "auth:",
      "  oidc:",
      "    enabled: true",
      `    issuer: ${provider.issuer}`,
      `    clientId: ${provider.clientId}`,
      `    clientSecret: ${provider.clientSecret}`,
      `    redirectUrl: ${REDIRECT}`,
      "    scopes: [openid, email, groups]",
      "    label: Example ID",
      "    roles:",
      "      - value: ops",
      "        instanceAdmin: true",
      "      - value: marketing",
      "        sites: { a.test: viewer, gone.test: owner }",
      "      - value: shop-team",
      "        sites: { a.test: editor, b.test: admin }",
      "",
    ].join("\n"),
  );
  stack = await testStack({ SIGHTLINE_CONFIG: config });
  stack.store.createSite({ id: "a.test", name: "A", domains: ["a.test"] });
  stack.store.createSite({ id: "b.test", name: "B", domains: ["b.test"] });
});

afterAll(async () => {
  await stack?.close();
  await provider?.close();
});

/** The `name=value` of a Set-Cookie the answer sets, or undefined. */
function cookie(res: LightMyRequestResponse, name: string): string | undefined {
  const found = res.cookies.find((c) => c.name === name);
  return found ? `${found.name}=${found.value}` : undefined;
}

/** GET /auth/oidc/start as a browser: the provider's URL, and the attempt's cookie. */
async function start(): Promise<{ url: URL; pending: string }> {
  const res = await stack.app.inject({ method: "GET", url: "/api/v1/auth/oidc/start" });
  expect(res.statusCode).toBe(302);
  const pending = cookie(res, PENDING_COOKIE);
  expect(pending).toBeDefined();
  return { url: new URL(res.headers.location as string), pending: pending as string };
}

async function callback(back: URL, pending?: string): Promise<LightMyRequestResponse> {
  return stack.app.inject({
    method: "GET",
    url: `/api/v1/auth/oidc/callback${back.search}`,
    headers: pending ? { cookie: pending } : {},
  });
}

/** The whole flow as `account`: the callback's answer. */
async function signInAs(account: string): Promise<LightMyRequestResponse> {
  const { url, pending } = await start();
  return callback(await provider.signIn(url.href, account), pending);
}

/** The dashboard's part: the refresh cookie swapped for an access token, then /me. */
async function me(res: LightMyRequestResponse) {
  const refresh = cookie(res, "sl_refresh");
  expect(refresh).toBeDefined();
  const swapped = await stack.app.inject({
    method: "POST",
    url: "/api/v1/auth/refresh",
    headers: { cookie: refresh as string },
  });
  expect(swapped.statusCode).toBe(200);
  const { token } = swapped.json() as { token: string };
  const who = await stack.app.inject({
    method: "GET",
    url: "/api/v1/me",
    headers: { authorization: `Bearer ${token}` },
  });
  expect(who.statusCode).toBe(200);
  return who.json() as { email: string; instanceAdmin: boolean; sites: Record<string, string> };
}

describe("GET /auth/methods", () => {
  it("tells the sign-in page that the provider is on, with its label", async () => {
    const res = await stack.app.inject({ method: "GET", url: "/api/v1/auth/methods" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      password: true,
      oidc: { label: "Example ID", startUrl: "/api/v1/auth/oidc/start" },
    });
  });
});

describe("the code flow with PKCE", () => {
  it("sends the browser to the provider with state, nonce and an S256 challenge, kept in an HttpOnly cookie", async () => {
    const res = await stack.app.inject({ method: "GET", url: "/api/v1/auth/oidc/start" });
    const url = new URL(res.headers.location as string);
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get("client_id")).toBe(provider.clientId);
    expect(url.searchParams.get("redirect_uri")).toBe(REDIRECT);
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get("state")).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get("nonce")).toMatch(/^[\w-]{20,}$/);
    const set = res.cookies.find((c) => c.name === PENDING_COOKIE);
    expect(set).toMatchObject({
      httpOnly: true,
      sameSite: "Lax",
      path: "/api/v1/auth/oidc/callback",
      maxAge: 600,
    });
    // The verifier is never in the URL.
    expect(res.headers.location).not.toContain("code_verifier");
  });

  it("signs a new person in with the roles their groups map to, and the dashboard picks the session up", async () => {
    const res = await signInAs("ada");
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(SIGNED_IN_LOCATION);
    expect(res.headers["cache-control"]).toBe("no-store");
    // The attempt is spent.
    expect(res.cookies.find((c) => c.name === PENDING_COOKIE)?.value).toBe("");
    const user = await me(res);
    // A site that does not exist (gone.test) is left out.
    expect(user).toMatchObject({
      email: "ada@example.test",
      instanceAdmin: true,
      sites: { "a.test": "viewer" },
    });
    const audit = stack.store.audit.page(5).entries;
    expect(audit[0]).toMatchObject({
      action: "signin.oidc_created",
      actor: { email: "ada@example.test" },
      details: { matched: ["ops", "marketing"], instanceAdmin: true, sites: ["a.test:viewer"] },
    });
  });

  it("gives the highest role per site when several groups match, and the accounts have no password", async () => {
    const res = await signInAs("bea");
    expect(res.statusCode).toBe(303);
    expect(await me(res)).toMatchObject({
      email: "bea@example.test",
      instanceAdmin: false,
      sites: { "a.test": "editor", "b.test": "admin" },
    });
    const login = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "bea@example.test", password: "" },
    });
    expect(login.statusCode).toBe(400);
    const guess = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "bea@example.test", password: "any password at all" },
    });
    expect(guess.statusCode).toBe(401);
  });

  it("signs an existing account in and applies the provider's roles to it", async () => {
    const existing = await addUser(
      stack,
      { email: "dee@example.test", password: "a long passphrase of dee" },
      { roles: { "b.test": "owner" } },
    );
    const res = await signInAs("dee");
    expect(res.statusCode).toBe(303);
    const user = await me(res);
    expect(user).toMatchObject({ email: "dee@example.test", sites: { "a.test": "viewer" } });
    expect(user.sites["b.test"]).toBeUndefined();
    expect(stack.store.users.get(existing.id)?.roles).toEqual({ "a.test": "viewer" });
    expect(stack.store.audit.page(1).entries[0]?.action).toBe("signin.oidc");
  });

  it("keeps the last instance admin one even when their groups no longer say so", async () => {
    // Dee's groups (marketing) give no instance admin; make Dee the only one there is.
    for (const u of stack.store.users.list()) {
      stack.store.users.update(u.id, (x) => ({
        ...x,
        instanceAdmin: x.email === "dee@example.test",
      }));
    }
    const res = await signInAs("dee");
    expect(res.statusCode).toBe(303);
    expect(await me(res)).toMatchObject({ instanceAdmin: true, sites: { "a.test": "viewer" } });
    expect(stack.store.audit.page(1).entries[0]?.details).toMatchObject({
      keptInstanceAdmin: "the last instance admin stays one",
    });
    const ada = stack.store.users.byEmail("ada@example.test");
    stack.store.users.update(ada?.id ?? "", (x) => ({ ...x, instanceAdmin: true }));
    const again = await signInAs("dee");
    expect((await me(again)).instanceAdmin).toBe(false);
  });
});

describe("refusals", () => {
  it("refuses a wrong state with 400, naming it", async () => {
    const { url, pending } = await start();
    const back = await provider.signIn(url.href, "ada");
    back.searchParams.set("state", "a-state-this-browser-never-sent");
    const res = await callback(back, pending);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "OIDC_STATE" });
    expect(res.json().message).toContain("state");
    expect(cookie(res, "sl_refresh")).toBeUndefined();
  });

  it("refuses a callback without this browser's attempt, or with a forged one", async () => {
    const { url, pending } = await start();
    const back = await provider.signIn(url.href, "ada");
    const none = await callback(back);
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ code: "OIDC_STATE" });
    const [name, value] = pending.split("=") as [string, string];
    const forged = await callback(back, `${name}=${value.slice(0, -2)}xx`);
    expect(forged.statusCode).toBe(400);
  });

  it("refuses a used code with 401, naming it", async () => {
    const { url, pending } = await start();
    const back = await provider.signIn(url.href, "ada");
    expect((await callback(back, pending)).statusCode).toBe(303);
    // The same answer played again (as a copied URL would be), attempt cookie and all.
    const again = await callback(back, pending);
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ code: "OIDC_CODE_INVALID" });
    expect(again.json().message).toContain("expired or was already used");
  });

  it("refuses an expired code with 401, naming it", async () => {
    provider.setCodeTtl(1);
    try {
      const { url, pending } = await start();
      const back = await provider.signIn(url.href, "ada");
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const res = await callback(back, pending);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: "OIDC_CODE_INVALID" });
      expect(res.json().message).toContain("expired");
      expect(cookie(res, "sl_refresh")).toBeUndefined();
    } finally {
      provider.setCodeTtl(60);
    }
  });

  it("refuses a person no rule maps with 403, saying what their claim held", async () => {
    const before = stack.store.users.count();
    const res = await signInAs("cy");
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: "OIDC_UNMAPPED" });
    expect(res.json().message).toContain('claim "groups" holds "visitors"');
    expect(res.json().message).toContain('"ops", "marketing", "shop-team"');
    expect(cookie(res, "sl_refresh")).toBeUndefined();
    expect(stack.store.users.count()).toBe(before);
    const noGroups = await signInAs("eve");
    expect(noGroups.statusCode).toBe(403);
    expect(noGroups.json().message).toContain('claim "groups" is empty or missing');
    expect(stack.store.audit.page(1).entries[0]).toMatchObject({
      action: "signin.oidc_refused",
      target: { label: "eve@example.test" },
      details: { reason: "unmapped" },
    });
  });

  it("refuses a disabled account with 403", async () => {
    const ada = stack.store.users.byEmail("ada@example.test");
    expect(ada).toBeDefined();
    stack.store.users.update(ada?.id ?? "", (u) => ({ ...u, disabled: true }));
    try {
      const res = await signInAs("ada");
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: "ACCOUNT_DISABLED" });
    } finally {
      stack.store.users.update(ada?.id ?? "", (u) => ({ ...u, disabled: false }));
    }
  });
});
