// Sign-in throttling and bounded password hashing: the rules on their own, then the real stack.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, adminEnv, pageview, testStack } from "../testing/stack.ts";
import { PasswordHasher } from "./password.ts";
import { LoginThrottle } from "./throttle.ts";

describe("LoginThrottle", () => {
  it("delays an account and address pair after 3 failures, doubling, and locks it after 10", () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle(() => now);
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      throttle.failed("a@example.test", "192.0.2.1");
      waits.push(throttle.wait("a@example.test", "192.0.2.1"));
    }
    expect(waits).toEqual([0, 0, 0, 1, 2, 4, 8, 16, 32, 900]);
    // Another address, and another account from this address, are not held up.
    expect(throttle.wait("a@example.test", "192.0.2.2")).toBe(0);
    expect(throttle.wait("b@example.test", "192.0.2.1")).toBe(0);
    now += 900_000;
    expect(throttle.wait("a@example.test", "192.0.2.1")).toBe(0);
  });

  it("slows an account guessed from many addresses, never locks it, and forgets", () => {
    let now = 5_000_000;
    const throttle = new LoginThrottle(() => now);
    for (let i = 0; i < 30; i++) throttle.failed("victim@example.test", `198.51.100.${i}`);
    // The account-wide wait is at most a minute: the owner is slowed, not locked out.
    expect(throttle.wait("victim@example.test", "203.0.113.5")).toBe(60);
    now += 61_000;
    expect(throttle.wait("victim@example.test", "203.0.113.5")).toBe(0);
    throttle.succeeded("victim@example.test", "203.0.113.5");
    throttle.failed("victim@example.test", "203.0.113.5");
    expect(throttle.wait("victim@example.test", "203.0.113.5")).toBe(0);
  });

  it("holds an address that sprays many accounts", () => {
    const throttle = new LoginThrottle(() => 0);
    for (let i = 0; i < 21; i++) throttle.failed(`user${i}@example.test`, "192.0.2.9");
    expect(throttle.wait("fresh@example.test", "192.0.2.9")).toBe(1);
  });
});

describe("PasswordHasher", () => {
  it("runs at most `concurrency` hashes, queues a few and refuses the rest at once", async () => {
    const hasher = new PasswordHasher({ concurrency: 2, queue: 3 });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => hasher.hash(`password number ${i}`)),
    );
    expect(hasher.peak).toBe(2);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(3);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({
      statusCode: 503,
      code: "BUSY",
      headers: { "retry-after": "2" },
    });
    const stored = (results[0] as PromiseFulfilledResult<string>).value;
    expect(await hasher.verify("password number 0", stored)).toBe(true);
    expect(await hasher.verify("password number 1", stored)).toBe(false);
  });
});

describe("sign-in through the stack", () => {
  let stack: Awaited<ReturnType<typeof testStack>>;
  beforeAll(async () => {
    // One hash at a time and two waiting, so a small burst overflows.
    stack = await testStack(adminEnv(), { hashing: { concurrency: 1, queue: 2 } });
    await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: ADMIN,
    });
  });
  afterAll(() => stack.close());

  const attempt = (email: string, password: string, remoteAddress: string) =>
    stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email, password },
      remoteAddress,
    });

  it("refuses quick guesses long before the 20th, alike for unknown accounts, while another address signs in", async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 20; i++) {
      known.push((await attempt(ADMIN.email, `wrong guess ${i}`, "192.0.2.50")).statusCode);
      unknown.push(
        (await attempt("nobody@example.test", `wrong guess ${i}`, "192.0.2.51")).statusCode,
      );
    }
    expect(known.slice(0, 3)).toEqual([401, 401, 401]);
    expect(known[19]).toBe(429);
    expect(known.filter((s) => s === 429).length).toBeGreaterThanOrEqual(16);
    // Whether or not the account exists, the same answers in the same order.
    expect(unknown).toEqual(known);
    const refused = await attempt(ADMIN.email, ADMIN.password, "192.0.2.50");
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: "TOO_MANY_ATTEMPTS" });
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    // The right password from another address still works.
    const elsewhere = await attempt(ADMIN.email, ADMIN.password, "203.0.113.60");
    expect(elsewhere.statusCode).toBe(200);
  });

  it("caps each public auth route per address (30 a minute), in the API's error shape", async () => {
    const lookup = () =>
      stack.app.inject({
        method: "POST",
        url: "/api/v1/auth/invitations/lookup",
        payload: { token: "no-such-invitation" },
        remoteAddress: "192.0.2.77",
      });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await lookup()).statusCode);
    expect(statuses).toEqual(Array(30).fill(404));
    const limited = await lookup();
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ statusCode: 429, code: "RATE_LIMITED" });
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    // Another address is not held up.
    const other = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/invitations/lookup",
      payload: { token: "no-such-invitation" },
      remoteAddress: "192.0.2.78",
    });
    expect(other.statusCode).toBe(404);
  });

  it("never lets hashing starve ingest: excess sign-ins get 503 at once, events still land", async () => {
    await stack.app.inject({
      method: "POST",
      url: "/api/v1/sites",
      headers: {
        authorization: `Bearer ${(await attempt(ADMIN.email, ADMIN.password, "203.0.113.61")).json().token}`,
      },
      payload: { id: "busy.test", domains: ["busy.test"] },
    });
    const peakBefore = stack.passwords.peak;
    const burst = Array.from({ length: 8 }, (_, i) =>
      attempt(`burst${i}@example.test`, "some password here", `198.51.100.${100 + i}`),
    );
    // While the burst hashes, ingest answers as usual.
    const event = await stack.app.inject({
      method: "POST",
      url: "/sl/e",
      payload: JSON.stringify({
        s: "busy.test",
        e: [pageview("busy-event-000001", "https://busy.test/")],
      }),
      headers: { "content-type": "text/plain", "user-agent": "Mozilla/5.0 Chrome/140.0" },
    });
    expect(event.statusCode, event.body).toBe(204);
    const answers = await Promise.all(burst);
    const statuses = answers.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
    const busy = answers.find((r) => r.statusCode === 503);
    expect(busy?.json()).toMatchObject({ code: "BUSY" });
    expect(busy?.headers["retry-after"]).toBe("2");
    expect(Math.max(peakBefore, stack.passwords.peak)).toBe(1);
  });
});
