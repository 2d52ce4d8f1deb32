// Invitations, password resets, user administration and the audit log through the real stack.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, addUser, adminEnv, login, testStack } from "../testing/stack.ts";

let stack: Awaited<ReturnType<typeof testStack>>;
/** The store's clock (links and sessions expire by it); tests move it forward only. */
let offset = 0;
let admin: Record<string, string>;
/** Every one-time token and password this file sends: none may show up in the audit log. */
const secrets: string[] = [];

const SITE_ADMIN = { email: "site-admin@example.test", password: "gentle rivers carve slow stone" };
const SITE_OWNER = { email: "site-owner@example.test", password: "copper bells ring over hills" };

beforeAll(async () => {
  stack = await testStack(adminEnv(), { storeNow: () => new Date(Date.now() + offset) });
  admin = { authorization: `Bearer ${await login(stack)}` };
  for (const id of ["one.test", "two.test"]) {
    await call("POST", "/sites", admin, { id, domains: [id] });
  }
  await addUser(stack, SITE_ADMIN, { roles: { "one.test": "admin" } });
  await addUser(stack, SITE_OWNER, { roles: { "one.test": "owner" } });
  secrets.push(ADMIN.password, SITE_ADMIN.password, SITE_OWNER.password);
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
const as = async (who: { email: string; password: string }) => ({
  authorization: `Bearer ${await login(stack, who)}`,
});
/** The token after `#token=` in a link. */
const tokenOf = (url: string) => {
  const token = /#token=([\w-]+)$/.exec(url)?.[1] ?? "";
  secrets.push(token);
  return token;
};

describe("invitations", () => {
  let link = "";

  it("gives the inviter a one-time link whose token sits after #", async () => {
    const res = await call("POST", "/invitations", admin, {
      email: "New.Person@Example.test",
      sites: [
        { site: "one.test", role: "editor" },
        { site: "two.test", role: "viewer" },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      email: "new.person@example.test",
      instanceAdmin: false,
      sites: [
        { site: "one.test", role: "editor" },
        { site: "two.test", role: "viewer" },
      ],
      createdBy: ADMIN.email,
    });
    expect(body.url).toMatch(/^http:\/\/localhost(:\d+)?\/invitation#token=[\w-]{32}$/);
    // Seven days by default.
    const days = (Date.parse(body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
    link = body.url;
    const list = await call("GET", "/invitations", admin);
    expect(list.json().invitations).toHaveLength(1);
    expect(JSON.stringify(list.json())).not.toContain(tokenOf(link));
  });

  it("shows what it offers, refuses a weak password without using the link, then signs in", async () => {
    const token = tokenOf(link);
    const lookup = await call("POST", "/auth/invitations/lookup", {}, { token });
    expect(lookup.json()).toMatchObject({ email: "new.person@example.test", instanceAdmin: false });
    const weak = await call(
      "POST",
      "/auth/invitations/accept",
      {},
      { token, password: "qwertyuiop123" },
    );
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe("WEAK_PASSWORD");
    expect(weak.json().message).toMatch(/keyboard pattern|common password/);
    expect(weak.json().message).not.toContain(token);
    const password = "violet harbors hum softly";
    secrets.push(password);
    const ok = await call("POST", "/auth/invitations/accept", {}, { token, password });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().user).toMatchObject({
      email: "new.person@example.test",
      role: "member",
      instanceAdmin: false,
      sites: { "one.test": "editor", "two.test": "viewer" },
    });
    secrets.push(ok.json().refreshToken);
    const me = await call("GET", "/me", { authorization: `Bearer ${ok.json().token}` });
    expect(me.statusCode).toBe(200);
    expect((await call("GET", "/invitations", admin)).json().invitations).toHaveLength(0);
  });

  it("works once: a used link, a wrong token and a withdrawn one answer the same 404", async () => {
    const reused = await call(
      "POST",
      "/auth/invitations/accept",
      {},
      { token: tokenOf(link), password: "another fine sentence here" },
    );
    expect(reused.statusCode).toBe(404);
    expect(reused.json().code).toBe("LINK_INVALID");
    const wrong = await call(
      "POST",
      "/auth/invitations/accept",
      {},
      { token: "x".repeat(32), password: "another fine sentence here" },
    );
    expect(wrong.json()).toEqual(reused.json());

    const made = await call("POST", "/invitations", admin, {
      email: "withdrawn@example.test",
      sites: [{ site: "one.test", role: "viewer" }],
    });
    const withdraw = await call("DELETE", `/invitations/${made.json().id}`, admin);
    expect(withdraw.json()).toEqual({ id: made.json().id, deleted: true });
    const withdrawn = await call(
      "POST",
      "/auth/invitations/accept",
      {},
      { token: tokenOf(made.json().url), password: "another fine sentence here" },
    );
    expect(withdrawn.json()).toEqual(reused.json());
  });

  it("expires", async () => {
    const made = await call("POST", "/invitations", admin, {
      email: "late@example.test",
      sites: [{ site: "one.test", role: "viewer" }],
    });
    const token = tokenOf(made.json().url);
    offset += 7 * 86_400_000 + 60_000;
    const late = await call(
      "POST",
      "/auth/invitations/accept",
      {},
      { token, password: "another fine sentence here" },
    );
    expect(late.statusCode).toBe(410);
    expect(late.json()).toMatchObject({
      code: "LINK_EXPIRED",
      message: `This invitation link expired at ${made.json().expiresAt}; ask an admin for a new one`,
    });
    expect((await call("POST", "/auth/invitations/lookup", {}, { token })).statusCode).toBe(410);
  });

  it("lets a site admin invite to their site only, never as owner or instance admin", async () => {
    const siteAdmin = await as(SITE_ADMIN);
    const ok = await call("POST", "/invitations", siteAdmin, {
      email: "helper@example.test",
      sites: [{ site: "one.test", role: "admin" }],
    });
    expect(ok.statusCode, ok.body).toBe(201);
    tokenOf(ok.json().url);
    const owner = await call("POST", "/invitations", siteAdmin, {
      email: "boss@example.test",
      sites: [{ site: "one.test", role: "owner" }],
    });
    expect(owner.statusCode).toBe(403);
    expect(owner.json().message).toMatch(/only an owner of "one.test" may make owners/);
    const elsewhere = await call("POST", "/invitations", siteAdmin, {
      email: "boss@example.test",
      sites: [{ site: "two.test", role: "viewer" }],
    });
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().message).toMatch(/on site "two.test"/);
    const instance = await call("POST", "/invitations", siteAdmin, {
      email: "boss@example.test",
      instanceAdmin: true,
      sites: [],
    });
    expect(instance.statusCode).toBe(403);
    const siteOwner = await as(SITE_OWNER);
    const byOwner = await call("POST", "/invitations", siteOwner, {
      email: "co-owner@example.test",
      sites: [{ site: "one.test", role: "owner" }],
    });
    expect(byOwner.statusCode).toBe(201);
    tokenOf(byOwner.json().url);
    // A site admin sees the invitations to their sites; not an instance admin's invitation.
    const adminInvite = await call("POST", "/invitations", admin, {
      email: "root2@example.test",
      instanceAdmin: true,
      sites: [],
    });
    tokenOf(adminInvite.json().url);
    const seen = (await call("GET", "/invitations", siteAdmin)).json().invitations as {
      email: string;
    }[];
    expect(seen.map((i) => i.email).sort()).toEqual([
      "co-owner@example.test",
      "helper@example.test",
    ]);
  });

  it("refuses an email that has an account, a duplicated site and an unknown site", async () => {
    const existing = await call("POST", "/invitations", admin, {
      email: SITE_ADMIN.email,
      sites: [{ site: "two.test", role: "viewer" }],
    });
    expect(existing.statusCode).toBe(409);
    expect(existing.json().code).toBe("USER_EXISTS");
    const twice = await call("POST", "/invitations", admin, {
      email: "twice@example.test",
      sites: [
        { site: "one.test", role: "viewer" },
        { site: "one.test", role: "editor" },
      ],
    });
    expect(twice.statusCode).toBe(400);
    const unknown = await call("POST", "/invitations", admin, {
      email: "twice@example.test",
      sites: [{ site: "nowhere.test", role: "viewer" }],
    });
    expect(unknown.statusCode).toBe(404);
    const nothing = await call("POST", "/invitations", admin, {
      email: "twice@example.test",
      sites: [],
    });
    expect(nothing.statusCode).toBe(400);
  });
});

describe("site members", () => {
  it("adds an existing user by email, changes and removes roles, owners only by owners", async () => {
    const siteAdmin = await as(SITE_ADMIN);
    const person = await addUser(stack, {
      email: "member@example.test",
      password: "quiet owls count the stars",
    });
    const added = await call("POST", "/sites/one.test/members", siteAdmin, {
      email: "member@example.test",
      role: "viewer",
    });
    expect(added.json()).toEqual({
      userId: person.id,
      email: "member@example.test",
      role: "viewer",
      disabled: false,
    });
    const nobody = await call("POST", "/sites/one.test/members", siteAdmin, {
      email: "ghost@example.test",
      role: "viewer",
    });
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json().message).toMatch(/invite them instead/);
    const changed = await call("PUT", `/sites/one.test/members/${person.id}`, siteAdmin, {
      role: "editor",
    });
    expect(changed.json().role).toBe("editor");
    const promote = await call("PUT", `/sites/one.test/members/${person.id}`, siteAdmin, {
      role: "owner",
    });
    expect(promote.statusCode).toBe(403);
    const ownerId = stack.store.users.byEmail(SITE_OWNER.email)?.id;
    const demoteOwner = await call("PUT", `/sites/one.test/members/${ownerId}`, siteAdmin, {
      role: "viewer",
    });
    expect(demoteOwner.statusCode).toBe(403);
    expect(demoteOwner.json().message).toMatch(/Only an owner of "one.test" may change or remove/);
    const members = (await call("GET", "/sites/one.test/members", siteAdmin)).json().members as {
      email: string;
      role: string;
    }[];
    expect(members.map((m) => `${m.email}:${m.role}`).sort()).toEqual(
      expect.arrayContaining([
        "member@example.test:editor",
        `${SITE_ADMIN.email}:admin`,
        `${SITE_OWNER.email}:owner`,
      ]),
    );
    const removed = await call("DELETE", `/sites/one.test/members/${person.id}`, siteAdmin);
    expect(removed.statusCode).toBe(200);
    expect(stack.store.users.get(person.id)?.roles).toEqual({});
  });
});

describe("password resets", () => {
  const USER = { email: "forgetful@example.test", password: "maple syrup drips in april" };

  it("gives an admin a one-day link; using it ends every session and signs in", async () => {
    const user = await addUser(stack, USER);
    secrets.push(USER.password);
    const before = await as(USER);
    const issued = await call("POST", `/users/${user.id}/password-reset`, admin);
    expect(issued.statusCode).toBe(201);
    expect(issued.json().url).toMatch(/\/password-reset#token=[\w-]{32}$/);
    const hours = (Date.parse(issued.json().expiresAt) - Date.now() - offset) / 3_600_000;
    expect(Math.round(hours)).toBe(24);
    const token = tokenOf(issued.json().url);
    // An invitation route does not take a reset link.
    const wrongKind = await call(
      "POST",
      "/auth/invitations/accept",
      {},
      { token, password: "another fine sentence here" },
    );
    expect(wrongKind.statusCode).toBe(404);
    const password = "new winter coats for everyone";
    secrets.push(password);
    const reset = await call("POST", "/auth/password-reset", {}, { token, password });
    expect(reset.statusCode, reset.body).toBe(200);
    secrets.push(reset.json().refreshToken);
    expect((await call("GET", "/me", before)).statusCode).toBe(401);
    expect(
      (await call("GET", "/me", { authorization: `Bearer ${reset.json().token}` })).statusCode,
    ).toBe(200);
    const again = await call("POST", "/auth/password-reset", {}, { token, password });
    expect(again.statusCode).toBe(404);
    await as({ email: USER.email, password });
  });

  it("expires after a day", async () => {
    const user = stack.store.users.byEmail(USER.email);
    const issued = await call("POST", `/users/${user?.id}/password-reset`, admin);
    offset += 24 * 3_600_000 + 60_000;
    const late = await call(
      "POST",
      "/auth/password-reset",
      {},
      { token: tokenOf(issued.json().url), password: "autumn leaves in the gutter" },
    );
    expect(late.statusCode).toBe(410);
    expect(late.json().code).toBe("LINK_EXPIRED");
  });

  it("refuses a disabled account's link", async () => {
    const user = stack.store.users.byEmail(USER.email);
    const issued = await call("POST", `/users/${user?.id}/password-reset`, admin);
    await call("PATCH", `/users/${user?.id}`, admin, { disabled: true });
    const res = await call(
      "POST",
      "/auth/password-reset",
      {},
      { token: tokenOf(issued.json().url), password: "spring rain on tin roofs" },
    );
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe("ACCOUNT_DISABLED");
  });
});

describe("user administration", () => {
  it("lists users with their roles; an instance admin may be made and unmade", async () => {
    const users = (await call("GET", "/users", admin)).json().users as {
      email: string;
      instanceAdmin: boolean;
      sites: Record<string, string>;
    }[];
    expect(users.find((u) => u.email === ADMIN.email)).toMatchObject({ instanceAdmin: true });
    expect(users.find((u) => u.email === SITE_ADMIN.email)?.sites).toEqual({ "one.test": "admin" });
    const id = stack.store.users.byEmail(SITE_ADMIN.email)?.id;
    const made = await call("PATCH", `/users/${id}`, admin, { instanceAdmin: true });
    expect(made.json().instanceAdmin).toBe(true);
    const siteAdmin = await as(SITE_ADMIN);
    expect((await call("GET", "/users", siteAdmin)).statusCode).toBe(200);
    await call("PATCH", `/users/${id}`, admin, { instanceAdmin: false });
    expect((await call("GET", "/users", siteAdmin)).statusCode).toBe(403);
  });

  it("keeps the last instance admin, and nobody disables or deletes themselves", async () => {
    const me = stack.store.users.byEmail(ADMIN.email)?.id;
    const demote = await call("PATCH", `/users/${me}`, admin, { instanceAdmin: false });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().code).toBe("LAST_ADMIN");
    const disable = await call("PATCH", `/users/${me}`, admin, { disabled: true });
    expect(disable.statusCode).toBe(400);
    const remove = await call("DELETE", `/users/${me}`, admin);
    expect(remove.statusCode).toBe(400);
    expect((await call("GET", "/me", admin)).statusCode).toBe(200);
  });

  it("ends every session of a user, and deletes a user with their sessions", async () => {
    const USER = { email: "leaving@example.test", password: "orange lanterns by the sea" };
    const user = await addUser(stack, USER, { roles: { "two.test": "viewer" } });
    secrets.push(USER.password);
    const first = await as(USER);
    const ended = await call("DELETE", `/users/${user.id}/sessions`, admin);
    expect(ended.json()).toEqual({ id: user.id, sessionsEnded: 1 });
    expect((await call("GET", "/me", first)).statusCode).toBe(401);
    const second = await as(USER);
    const deleted = await call("DELETE", `/users/${user.id}`, admin);
    expect(deleted.json()).toEqual({ id: user.id, deleted: true });
    expect((await call("GET", "/me", second)).statusCode).toBe(401);
    expect((await call("GET", `/users/${user.id}`, admin)).statusCode).toBe(404);
  });
});

describe("the audit log", () => {
  it("records who did what, newest first, a page at a time", async () => {
    const first = await call("GET", "/audit?limit=5", admin);
    expect(first.statusCode).toBe(200);
    const page = first.json() as {
      entries: { id: string; at: string; action: string }[];
      next: string;
    };
    expect(page.entries).toHaveLength(5);
    expect(page.entries[0]?.action).toBe("user.deleted");
    const times = page.entries.map((e) => e.id);
    expect([...times].sort().reverse()).toEqual(times);
    const second = (await call("GET", `/audit?limit=5&before=${page.next}`, admin)).json();
    expect(second.entries[0].id < (page.entries.at(-1)?.id ?? "")).toBe(true);

    const all: { action: string; actor: { email: string } | null; target: { label?: string } }[] =
      [];
    let before = "";
    for (;;) {
      const res = (
        await call("GET", `/audit?limit=200${before && `&before=${before}`}`, admin)
      ).json();
      all.push(...res.entries);
      if (!res.next) break;
      before = res.next;
    }
    const actions = new Set(all.map((e) => e.action));
    for (const action of [
      "setup.completed",
      "site.created",
      "invitation.created",
      "invitation.accepted",
      "invitation.revoked",
      "member.added",
      "member.role_changed",
      "member.removed",
      "password.reset_issued",
      "password.reset",
      "user.disabled",
      "user.made_instance_admin",
      "user.unmade_instance_admin",
      "session.revoked_all",
      "user.deleted",
    ]) {
      expect(actions, action).toContain(action);
    }
    expect(all.find((e) => e.action === "invitation.accepted")?.actor?.email).toBe(
      "new.person@example.test",
    );
    // Never a password, a token or a hash.
    const text = JSON.stringify(all);
    for (const secret of secrets.filter(Boolean)) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/scrypt\$/);
  });

  it("is for instance admins only", async () => {
    const res = await call("GET", "/audit", await as(SITE_OWNER));
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toBe("Only an instance admin may read the audit log");
  });
});
