// Sign-in, sessions and one's own account through the real stack (LMDB, the app's JWT).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../stack.ts";
import { addUser, setRole, testStack } from "../testing/stack.ts";

let stack: Stack;
beforeAll(async () => {
  // One proxy is trusted (for the Secure cookie test); everything else connects directly.
  stack = await testStack({ SIGHTLINE_SERVER_TRUSTED_PROXIES: "10.0.0.1" });
});
afterAll(() => stack.close());

const OWNER = { email: "owner@example.test", password: "a long enough passphrase" };

const json = (payload: object) => ({
  payload,
  headers: { "content-type": "application/json" },
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function signIn(who: { email: string; password: string }, userAgent = "test") {
  const res = await stack.app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: who,
    headers: { "user-agent": userAgent },
  });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { token: string; refreshToken: string; expiresIn: number };
  return { ...body, cookie: res.cookies.find((c) => c.name === "sl_refresh") };
}

const me = (token: string) =>
  stack.app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(token) });
const refresh = (refreshToken?: string, cookie?: string) =>
  stack.app.inject({
    method: "POST",
    url: "/api/v1/auth/refresh",
    ...(refreshToken ? json({ refreshToken }) : {}),
    ...(cookie ? { cookies: { sl_refresh: cookie } } : {}),
  });

describe("first admin and login", () => {
  it("requires setup with the one-time token, never a default password", async () => {
    const status = await stack.app.inject({ method: "GET", url: "/api/v1/auth/status" });
    expect(status.json()).toEqual({ setupRequired: true });

    const token = stack.issueSetupToken() ?? "";
    expect(token).toMatch(/^[\w-]{32}$/);
    const admin = { email: "Owner@Example.test", password: OWNER.password };

    const wrong = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/setup",
      ...json({ ...admin, token: "not-the-token" }),
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: "BAD_SETUP_TOKEN" });

    const short = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/setup",
      ...json({ ...admin, token, password: "short" }),
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().message).toMatch(/password/);

    // Long enough but trivially guessable: refused with the reason, and the token still works.
    const weak = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/setup",
      ...json({ ...admin, token, password: "aaaaaaaaaaaa" }),
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({
      code: "WEAK_PASSWORD",
      message: expect.stringMatching(
        /^body\/password: is too easy to guess: it repeats characters/,
      ),
    });

    const ok = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/setup",
      ...json({ ...admin, token }),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({
      email: "owner@example.test",
      role: "admin",
      instanceAdmin: true,
      sites: {},
    });

    const again = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/setup",
      ...json({ ...admin, token }),
    });
    expect(again.statusCode).toBe(409);
    expect((await stack.app.inject({ method: "GET", url: "/api/v1/auth/status" })).json()).toEqual({
      setupRequired: false,
    });
    expect(stack.issueSetupToken()).toBeNull();
  });

  it("answers a wrong password and an unknown email with the same 401", async () => {
    const badPassword = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      ...json({ email: OWNER.email, password: "wrong password!!" }),
    });
    const unknownEmail = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      ...json({ email: "nobody@example.test", password: OWNER.password }),
    });
    expect(badPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    expect(badPassword.json()).toEqual(unknownEmail.json());
    expect(badPassword.json().message).toBe("Invalid email or password");
  });

  it("gives a short-lived JWT that opens protected routes, and refuses requests without one", async () => {
    const { token, expiresIn, refreshToken, cookie } = await signIn({
      email: "OWNER@example.test",
      password: OWNER.password,
    });
    expect(expiresIn).toBe(15 * 60);
    const claims = stack.app.jwt.decode<{ exp?: number; iat?: number; sid?: string }>(token);
    expect((claims?.exp ?? 0) - (claims?.iat ?? 0)).toBe(15 * 60);
    expect(refreshToken).toMatch(/^[\w-]+\.[\w-]{43}$/);
    // The refresh token as a cookie only the auth routes get, that no script can read.
    expect(cookie).toMatchObject({
      value: refreshToken,
      path: "/api/v1/auth",
      httpOnly: true,
      sameSite: "Strict",
    });
    expect(cookie?.secure).toBeFalsy();
    const res = await me(token);
    expect(res.json()).toMatchObject({ email: "owner@example.test", role: "admin" });
    expect(res.headers["cache-control"]).toBe("no-store");
    const anonymous = await stack.app.inject({ method: "GET", url: "/api/v1/sites" });
    expect(anonymous.statusCode).toBe(401);
    const forged = await stack.app.inject({
      method: "GET",
      url: "/api/v1/sites",
      headers: bearer(`${token.slice(0, -4)}AAAA`),
    });
    expect(forged.statusCode).toBe(401);
  });

  it("marks the refresh cookie Secure when a trusted proxy says the client used https", async () => {
    const login = (remoteAddress: string) =>
      stack.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: OWNER,
        remoteAddress,
        headers: { "x-forwarded-proto": "https" },
      });
    const viaProxy = await login("10.0.0.1");
    expect(viaProxy.cookies.find((c) => c.name === "sl_refresh")?.secure).toBe(true);
    const direct = await login("203.0.113.9");
    expect(direct.cookies.find((c) => c.name === "sl_refresh")?.secure).toBeFalsy();
  });

  it("names the bad field of a malformed login", async () => {
    const res = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      ...json({ email: "x" }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/password/);
  });
});

describe("sessions", () => {
  it("ends an expired access token with TOKEN_EXPIRED; refresh gives a new one", async () => {
    const { refreshToken } = await signIn(OWNER);
    const session = stack.store.sessions.forUser(stack.store.users.byEmail(OWNER.email)?.id ?? "");
    const user = stack.store.users.byEmail(OWNER.email);
    const short = stack.app.jwt.sign(
      { sub: user?.id ?? "", sid: session[0]?.id ?? "", tv: user?.tokenVersion ?? 0 },
      { expiresIn: 1 },
    );
    expect((await me(short)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 1_100));
    const expired = await me(short);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe("TOKEN_EXPIRED");
    const renewed = await refresh(refreshToken);
    expect(renewed.statusCode).toBe(200);
    expect((await me(renewed.json().token)).statusCode).toBe(200);
  });

  it("rotates the refresh token on every use, from the body or the cookie", async () => {
    const first = await signIn(OWNER);
    const second = await refresh(undefined, first.cookie?.value);
    expect(second.statusCode).toBe(200);
    const next = second.json() as { token: string; refreshToken: string };
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(second.cookies.find((c) => c.name === "sl_refresh")?.value).toBe(next.refreshToken);
    expect(second.headers["cache-control"]).toBe("no-store");
    const third = await refresh(next.refreshToken);
    expect(third.statusCode).toBe(200);
    expect((await me(third.json().token)).statusCode).toBe(200);
    for (const bad of ["nonsense", `${first.refreshToken.split(".")[0]}.forged`]) {
      const res = await refresh(bad);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe("REFRESH_INVALID");
    }
    expect((await refresh()).statusCode).toBe(401);
  });

  it("ends the whole session when a rotated refresh token comes back (reuse detection)", async () => {
    const stolen = await signIn(OWNER, "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0");
    // The owner refreshes; later the thief replays the old token.
    const owner = (await refresh(stolen.refreshToken)).json() as {
      token: string;
      refreshToken: string;
    };
    const replay = await refresh(stolen.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe("REFRESH_REUSED");
    // Both tokens of the family are dead now, and so is the access token from it.
    expect((await refresh(owner.refreshToken)).statusCode).toBe(401);
    expect((await me(owner.token)).statusCode).toBe(401);
    expect((await me(owner.token)).json().code).toBe("SESSION_ENDED");
    const audit = stack.store.audit.page(10).entries.map((e) => e.action);
    expect(audit).toContain("session.reuse_detected");
  });

  it("revokes the session at sign-out: its access and refresh tokens stop at once", async () => {
    const session = await signIn(OWNER);
    const other = await signIn(OWNER);
    const out = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: bearer(session.token),
    });
    expect(out.statusCode).toBe(200);
    expect(out.cookies.find((c) => c.name === "sl_refresh")?.value).toBe("");
    expect((await me(session.token)).statusCode).toBe(401);
    expect((await refresh(session.refreshToken)).statusCode).toBe(401);
    // Other sessions go on.
    expect((await me(other.token)).statusCode).toBe(200);
  });

  it("lists your sessions and revokes one of them, never another user's", async () => {
    const laptop = await signIn(
      OWNER,
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15",
    );
    const phone = await signIn(
      OWNER,
      "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/140.0 Mobile Safari/537.36",
    );
    const list = await stack.app.inject({
      method: "GET",
      url: "/api/v1/auth/sessions",
      headers: bearer(laptop.token),
    });
    expect(list.statusCode).toBe(200);
    const sessions = list.json().sessions as {
      id: string;
      userAgent: string;
      current: boolean;
      createdAt: string;
      lastUsedAt: string;
    }[];
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions.map((s) => s.userAgent)).toEqual(
      expect.arrayContaining(["Safari on macOS", "Chrome on Android"]),
    );
    const phoneId = stack.app.jwt.decode<{ sid: string }>(phone.token)?.sid ?? "";
    const revoke = await stack.app.inject({
      method: "DELETE",
      url: `/api/v1/auth/sessions/${phoneId}`,
      headers: bearer(laptop.token),
    });
    expect(revoke.json()).toEqual({ id: phoneId, revoked: true });
    expect((await me(phone.token)).statusCode).toBe(401);
    expect((await me(laptop.token)).statusCode).toBe(200);

    const other = { email: "someone@example.test", password: "twelve quiet lanterns drift" };
    await addUser(stack, other);
    const theirs = await signIn(other);
    const theirId = stack.app.jwt.decode<{ sid: string }>(theirs.token)?.sid ?? "";
    const foreign = await stack.app.inject({
      method: "DELETE",
      url: `/api/v1/auth/sessions/${theirId}`,
      headers: bearer(laptop.token),
    });
    expect(foreign.statusCode).toBe(404);
    expect((await me(theirs.token)).statusCode).toBe(200);
  });
});

describe("changes take effect on the next request", () => {
  const USER = { email: "changing@example.test", password: "seven amber otters sleeping" };

  it("a disabled user is refused at once, cannot sign in, and cannot refresh", async () => {
    const admin = await signIn(OWNER);
    const user = await addUser(stack, USER);
    const session = await signIn(USER);
    expect((await me(session.token)).statusCode).toBe(200);
    const disable = await stack.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${user.id}`,
      headers: bearer(admin.token),
      payload: { disabled: true },
    });
    expect(disable.statusCode, disable.body).toBe(200);
    expect((await me(session.token)).statusCode).toBe(401);
    expect((await refresh(session.refreshToken)).statusCode).toBe(401);
    const login = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: USER,
    });
    expect(login.statusCode).toBe(401);
    expect(login.json().message).toBe("Invalid email or password");
    await stack.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${user.id}`,
      headers: bearer(admin.token),
      payload: { disabled: false },
    });
    expect((await me((await signIn(USER)).token)).statusCode).toBe(200);
  });

  it("a role given or taken is in force at the user's next request, same token", async () => {
    const admin = await signIn(OWNER);
    await stack.app.inject({
      method: "POST",
      url: "/api/v1/sites",
      headers: bearer(admin.token),
      payload: { id: "roles.test", domains: ["roles.test"] },
    });
    const { token } = await signIn(USER);
    const site = () =>
      stack.app.inject({ method: "GET", url: "/api/v1/sites/roles.test", headers: bearer(token) });
    const rename = () =>
      stack.app.inject({
        method: "PATCH",
        url: "/api/v1/sites/roles.test",
        headers: bearer(token),
        payload: { name: "Renamed" },
      });
    expect((await site()).statusCode).toBe(403);
    const userId = stack.store.users.byEmail(USER.email)?.id;
    const give = await stack.app.inject({
      method: "PUT",
      url: `/api/v1/sites/roles.test/members/${userId}`,
      headers: bearer(admin.token),
      payload: { role: "viewer" },
    });
    expect(give.json()).toMatchObject({ email: USER.email, role: "viewer" });
    expect((await site()).statusCode).toBe(200);
    expect((await rename()).statusCode).toBe(403);
    setRole(stack, USER.email, "roles.test", "admin");
    expect((await rename()).statusCode).toBe(200);
    const take = await stack.app.inject({
      method: "DELETE",
      url: `/api/v1/sites/roles.test/members/${userId}`,
      headers: bearer(admin.token),
    });
    expect(take.statusCode).toBe(200);
    expect((await site()).statusCode).toBe(403);
  });
});

describe("changing your password", () => {
  const USER = { email: "rotating@example.test", password: "purple kettles hum at noon" };

  it("needs the current one, refuses a weak one, and ends your other sessions", async () => {
    await addUser(stack, USER);
    const here = await signIn(USER);
    const elsewhere = await signIn(USER);
    const change = (currentPassword: string, newPassword: string) =>
      stack.app.inject({
        method: "POST",
        url: "/api/v1/auth/password",
        headers: bearer(here.token),
        payload: { currentPassword, newPassword },
      });
    const wrong = await change("not my password", "brand new lanterns of october");
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe("WRONG_PASSWORD");
    const weak = await change(USER.password, "password1234");
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toMatch(
      /^body\/newPassword: is too easy to guess: it is a common password/,
    );
    const mine = await change(USER.password, "rotating@example.test!!");
    expect(mine.json().message).toMatch(/your email address/);

    const ok = await change(USER.password, "brand new lanterns of october");
    expect(ok.statusCode, ok.body).toBe(200);
    // The old access tokens carry the old token version: all stop; the answer's goes on.
    expect((await me(here.token)).statusCode).toBe(401);
    expect((await me(ok.json().token)).statusCode).toBe(200);
    expect((await me(elsewhere.token)).statusCode).toBe(401);
    expect((await refresh(elsewhere.refreshToken)).statusCode).toBe(401);
    // This session's refresh token still works, with the new version.
    const renewed = await refresh(here.refreshToken);
    expect((await me(renewed.json().token)).statusCode).toBe(200);
    const old = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: USER,
    });
    expect(old.statusCode).toBe(401);
    await signIn({ email: USER.email, password: "brand new lanterns of october" });
  });
});

describe("with auth.oidc off (the default)", () => {
  it("says so on /auth/methods and answers 404 on the OIDC routes", async () => {
    const methods = await stack.app.inject({ method: "GET", url: "/api/v1/auth/methods" });
    expect(methods.json()).toEqual({ password: true, oidc: null });
    for (const url of ["/api/v1/auth/oidc/start", "/api/v1/auth/oidc/callback?code=x&state=y"]) {
      const res = await stack.app.inject({ method: "GET", url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: "OIDC_DISABLED" });
    }
  });
});
