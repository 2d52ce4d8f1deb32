// API tokens through the real stack: made once, used as Bearer within their sites and scopes,
// never beyond their user's rights, and stopped by revocation, expiry, disabling and deletion.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, adminEnv, login, setRole, testStack } from "../testing/stack.ts";

let stack: Awaited<ReturnType<typeof testStack>>;
/** The store's clock (tokens expire by it); tests move it forward only. */
let offset = 0;
const DAY = 24 * 60 * 60 * 1000;
let admin: Record<string, string>;
const EDITOR = { email: "editor@tokens.test", password: "lanterns drift over the harbour" };
const range = { from: "2026-03-01", to: "2026-03-07", tz: "UTC" };
const board = (site: string) => ({
  name: "Board",
  sites: [site],
  widgets: [
    {
      name: "Visitors",
      source: { kind: "query", spec: { ...range, sites: [site], metrics: ["visitors"] } },
      visual: { type: "number" },
    },
  ],
});

beforeAll(async () => {
  stack = await testStack(adminEnv(), { storeNow: () => new Date(Date.now() + offset) });
  admin = { authorization: `Bearer ${await login(stack)}` };
  for (const id of ["one.test", "two.test", "three.test"]) {
    await call("POST", "/sites", admin, { id, domains: [id] });
  }
  await addUser(stack, EDITOR, { roles: { "one.test": "editor", "two.test": "viewer" } });
});
afterAll(() => stack.close());

function call(method: string, url: string, headers: object, payload?: object) {
  return stack.app.inject({
    method: method as "GET",
    url: `/api/v1${url}`,
    headers: { ...headers },
    ...(payload ? { payload } : {}),
  });
}
const editor = async () => ({ authorization: `Bearer ${await login(stack, EDITOR)}` });
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

async function create(headers: object, body: object) {
  const res = await call("POST", "/tokens", headers, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { token: { id: string; lastUsedAt: string | null }; secret: string };
}

describe("creating and listing", () => {
  it("shows the secret once and keeps only its hash", async () => {
    const res = await call("POST", "/tokens", await editor(), {
      name: "CI export",
      sites: ["one.test"],
      scopes: ["reports:read"],
      expiresInDays: 30,
    });
    expect(res.statusCode, res.body).toBe(201);
    const { token, secret } = res.json();
    expect(secret).toMatch(/^slt_[\w-]+\.[\w-]{43}$/);
    expect(token).toMatchObject({
      name: "CI export",
      sites: ["one.test"],
      scopes: ["reports:read"],
      lastUsedAt: null,
      expired: false,
    });
    expect(Date.parse(token.expiresAt) - Date.now()).toBeGreaterThan(29 * DAY);
    const list = await call("GET", "/tokens", await editor());
    expect(list.json().tokens).toEqual([token]);
    expect(list.body).not.toContain(secret.split(".")[1]);
    // Nothing on disk holds the secret, only its SHA-256.
    const dir = join(stack.dataDir, "lmdb");
    for (const file of readdirSync(dir)) {
      expect(readFileSync(join(dir, file)).includes(secret.split(".")[1] ?? "")).toBe(false);
    }
    // The audit log names the token, never its secret.
    const audit = await call("GET", "/audit", admin);
    expect(audit.body).toContain("api_token.created");
    expect(audit.body).not.toContain(secret.split(".")[1]);
  });

  it("refuses scopes the user's own role does not allow, and unknown sites", async () => {
    const more = await call("POST", "/tokens", await editor(), {
      name: "too much",
      sites: ["two.test"],
      scopes: ["dashboards:manage"],
    });
    expect(more.statusCode).toBe(403);
    expect(more.json().message).toMatch(/body\/scopes: "dashboards:manage" on site "two.test"/);
    const noRole = await call("POST", "/tokens", await editor(), {
      name: "elsewhere",
      sites: ["three.test"],
      scopes: ["reports:read"],
    });
    expect(noRole.statusCode).toBe(403);
    const unknown = await call("POST", "/tokens", admin, {
      name: "nowhere",
      sites: ["missing.test"],
      scopes: ["reports:read"],
    });
    expect(unknown.statusCode).toBe(404);
    const bad = await call("POST", "/tokens", admin, {
      name: "bad",
      sites: ["one.test"],
      scopes: ["everything"],
    });
    expect(bad.statusCode).toBe(400);
    const long = await call("POST", "/tokens", admin, {
      name: "long",
      sites: ["one.test"],
      scopes: ["reports:read"],
      expiresInDays: 400,
    });
    expect(long.statusCode).toBe(400);
    expect(long.json().message).toMatch(/expiresInDays/);
  });
});

describe("using a token", () => {
  it("works as Bearer within its sites and scopes, and no further", async () => {
    const { secret, token } = await create(await editor(), {
      name: "reader",
      sites: ["one.test"],
      scopes: ["reports:read"],
    });
    const auth = bearer(secret);
    const sites = await call("GET", "/sites", auth);
    expect(sites.statusCode).toBe(200);
    // two.test is the editor's too, but not the token's.
    expect(sites.json().sites.map((s: { id: string }) => s.id)).toEqual(["one.test"]);
    const query = { ...range, metrics: ["visitors"] };
    expect((await call("POST", "/query", auth, { ...query, sites: ["one.test"] })).statusCode).toBe(
      200,
    );
    const other = await call("POST", "/query", auth, { ...query, sites: ["two.test"] });
    expect(other.statusCode).toBe(403);
    // No dashboards:manage scope, though the editor may.
    expect((await call("POST", "/dashboards", auth, board("one.test"))).statusCode).toBe(403);
    // A token never reaches the account: not /me, not other tokens, not a password change.
    expect((await call("GET", "/me", auth)).statusCode).toBe(403);
    expect((await call("GET", "/tokens", auth)).statusCode).toBe(403);
    expect(
      (
        await call("POST", "/tokens", auth, {
          name: "x",
          sites: ["one.test"],
          scopes: ["reports:read"],
        })
      ).statusCode,
    ).toBe(403);
    const listed = (await call("GET", "/tokens", await editor())).json().tokens;
    expect(listed.find((t: { id: string }) => t.id === token.id).lastUsedAt).not.toBeNull();
  });

  it("manages dashboards with dashboards:manage", async () => {
    const { secret } = await create(await editor(), {
      name: "boards",
      sites: ["one.test"],
      scopes: ["dashboards:manage"],
    });
    const made = await call("POST", "/dashboards", bearer(secret), board("one.test"));
    expect(made.statusCode, made.body).toBe(201);
    expect((await call("POST", "/dashboards", bearer(secret), board("two.test"))).statusCode).toBe(
      403,
    );
    // Reading reports is another scope.
    expect(
      (await call("POST", "/reports/overview", bearer(secret), { ...range, sites: ["one.test"] }))
        .statusCode,
    ).toBe(403);
  });

  it("changes site settings with ingest:admin, only as far as the user may", async () => {
    const { secret } = await create(admin, {
      name: "ingest",
      sites: ["one.test"],
      scopes: ["ingest:admin"],
    });
    const patched = await call("PATCH", "/sites/one.test", bearer(secret), { name: "One" });
    expect(patched.statusCode, patched.body).toBe(200);
    // An instance admin's token is not an instance admin: no users, no new sites, no audit.
    expect((await call("GET", "/users", bearer(secret))).statusCode).toBe(403);
    expect(
      (await call("POST", "/sites", bearer(secret), { id: "new.test", domains: ["new.test"] }))
        .statusCode,
    ).toBe(403);
    expect(
      (await call("PATCH", "/sites/two.test", bearer(secret), { name: "Two" })).statusCode,
    ).toBe(403);
  });

  it("loses what its user loses, at the next request", async () => {
    const { secret } = await create(await editor(), {
      name: "shrinking",
      sites: ["one.test"],
      scopes: ["dashboards:manage"],
    });
    setRole(stack, EDITOR.email, "one.test", "viewer");
    try {
      const res = await call("POST", "/dashboards", bearer(secret), board("one.test"));
      expect(res.statusCode).toBe(403);
    } finally {
      setRole(stack, EDITOR.email, "one.test", "editor");
    }
    expect((await call("POST", "/dashboards", bearer(secret), board("one.test"))).statusCode).toBe(
      201,
    );
  });

  it("refuses a malformed or unknown token with 401", async () => {
    for (const secret of ["slt_nothing", "slt_abc.def", `slt_${"x".repeat(300)}`]) {
      const res = await call("GET", "/sites", bearer(secret));
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe("API_TOKEN_INVALID");
    }
  });
});

describe("stopping a token", () => {
  it("revoked: 401 at once; someone else's cannot be revoked", async () => {
    const { secret, token } = await create(await editor(), {
      name: "revoke me",
      sites: ["one.test"],
      scopes: ["reports:read"],
    });
    expect((await call("DELETE", `/tokens/${token.id}`, admin)).statusCode).toBe(404);
    expect((await call("GET", "/sites", bearer(secret))).statusCode).toBe(200);
    const res = await call("DELETE", `/tokens/${token.id}`, await editor());
    expect(res.json()).toEqual({ id: token.id, revoked: true });
    const after = await call("GET", "/sites", bearer(secret));
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe("API_TOKEN_INVALID");
    expect((await call("DELETE", `/tokens/${token.id}`, await editor())).statusCode).toBe(404);
    expect((await call("GET", "/audit", admin)).body).toContain("api_token.revoked");
  });

  it("expired: 401 saying when", async () => {
    const { secret } = await create(await editor(), {
      name: "short",
      sites: ["one.test"],
      scopes: ["reports:read"],
      expiresInDays: 1,
    });
    offset += DAY + 1000;
    const res = await call("GET", "/sites", bearer(secret));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: "API_TOKEN_EXPIRED" });
    const listed = (await call("GET", "/tokens", await editor())).json().tokens;
    expect(listed.find((t: { name: string }) => t.name === "short").expired).toBe(true);
  });

  it("disabled user: every token stops; deleted user: the tokens are gone", async () => {
    const who = { email: "leaver@tokens.test", password: "quiet orchards under snow" };
    const user = await addUser(stack, who, { roles: { "one.test": "viewer" } });
    const { secret } = await create(
      { authorization: `Bearer ${await login(stack, who)}` },
      { name: "leaver", sites: ["one.test"], scopes: ["reports:read"] },
    );
    await call("PATCH", `/users/${user.id}`, admin, { disabled: true });
    const res = await call("GET", "/sites", bearer(secret));
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe("API_TOKEN_INVALID");
    expect((await call("DELETE", `/users/${user.id}`, admin)).statusCode).toBe(200);
    expect(stack.store.tokens.forUser(user.id)).toEqual([]);
  });

  it("a deleted site leaves every token; a token with no site left goes", async () => {
    const both = await create(admin, {
      name: "two sites",
      sites: ["three.test", "two.test"],
      scopes: ["reports:read"],
    });
    const only = await create(admin, {
      name: "one site",
      sites: ["three.test"],
      scopes: ["reports:read"],
    });
    const del = await call("DELETE", "/sites/three.test", admin, { confirm: "three.test" });
    expect(del.statusCode, del.body).toBe(200);
    expect(stack.store.tokens.get(both.token.id)?.sites).toEqual(["two.test"]);
    expect(stack.store.tokens.get(only.token.id)).toBeUndefined();
  });
});
