import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../stack.ts";
import { testStack } from "../testing/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await testStack();
});
afterAll(() => stack.close());

const json = (payload: Record<string, string>) => ({
  payload,
  headers: { "content-type": "application/json" },
});

describe("first admin and login", () => {
  it("requires setup with the one-time token, never a default password", async () => {
    const status = await stack.app.inject({ method: "GET", url: "/api/v1/auth/status" });
    expect(status.json()).toEqual({ setupRequired: true });

    const token = stack.issueSetupToken() ?? "";
    expect(token).toMatch(/^[\w-]{32}$/);
    const admin = { email: "Owner@Example.test", password: "a long enough passphrase" };

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

    const ok = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/setup",
      ...json({ ...admin, token }),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toEqual({ email: "owner@example.test", role: "admin" });

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
      ...json({ email: "owner@example.test", password: "wrong password!!" }),
    });
    const unknownEmail = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      ...json({ email: "nobody@example.test", password: "a long enough passphrase" }),
    });
    expect(badPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    expect(badPassword.json()).toEqual(unknownEmail.json());
    expect(badPassword.json().message).toBe("Invalid email or password");
  });

  it("gives a JWT that opens protected routes, and refuses requests without one", async () => {
    const login = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      ...json({ email: "OWNER@example.test", password: "a long enough passphrase" }),
    });
    expect(login.statusCode).toBe(200);
    const { token } = login.json() as { token: string };
    const me = await stack.app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json()).toEqual({ email: "owner@example.test", role: "admin" });
    const anonymous = await stack.app.inject({ method: "GET", url: "/api/v1/sites" });
    expect(anonymous.statusCode).toBe(401);
    const forged = await stack.app.inject({
      method: "GET",
      url: "/api/v1/sites",
      headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` },
    });
    expect(forged.statusCode).toBe(401);
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
