// Sites and their settings through the real stack: LMDB as the running process opens it, and the
// collector's own reader of the same database.
import { join } from "node:path";
import { LmdbSiteDirectory } from "@sightline/collector-node";
import { open } from "lmdb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../auth/password.ts";
import { adminEnv, login, testStack } from "../testing/stack.ts";

let stack: Awaited<ReturnType<typeof testStack>>;
let admin: Record<string, string>;
let viewer: Record<string, string>;

const VIEWER = { email: "viewer@example.test", password: "another long passphrase" };

beforeAll(async () => {
  stack = await testStack(adminEnv());
  admin = { authorization: `Bearer ${await login(stack)}` };
  stack.store.createUser({
    email: VIEWER.email,
    role: "viewer",
    passwordHash: await hashPassword(VIEWER.password),
  });
  viewer = { authorization: `Bearer ${await login(stack, VIEWER)}` };
});
afterAll(() => stack.close());

const call = (method: "GET" | "POST" | "PATCH", url: string, headers: object, payload?: object) =>
  stack.app.inject({ method, url: `/api/v1${url}`, headers: { ...headers }, payload });

describe("site time zone", () => {
  it("defaults to UTC and takes an IANA zone on creation", async () => {
    const plain = await call("POST", "/sites", admin, {
      id: "plain.test",
      domains: ["plain.test"],
    });
    expect(plain.statusCode).toBe(201);
    expect(plain.json()).toEqual({
      id: "plain.test",
      name: "plain.test",
      domains: ["plain.test"],
      timezone: "UTC",
    });
    const berlin = await call("POST", "/sites", admin, {
      id: "berlin.test",
      domains: ["berlin.test"],
      timezone: "Europe/Berlin",
    });
    expect(berlin.statusCode).toBe(201);
    expect(berlin.json().timezone).toBe("Europe/Berlin");
    const list = await call("GET", "/sites", viewer);
    expect(list.json().sites).toContainEqual(berlin.json());
  });

  it("refuses zones nobody knows, offsets and names the database dropped, naming the field", async () => {
    for (const timezone of ["Mars/Olympus", "+05:30", "US/Pacific-New"]) {
      const res = await call("POST", "/sites", admin, {
        id: "nowhere.test",
        domains: ["nowhere.test"],
        timezone,
      });
      expect(res.statusCode, timezone).toBe(400);
      expect(res.json().message).toBe(
        `body/timezone: "${timezone}" is not a time zone the database knows`,
      );
    }
    expect((await call("GET", "/sites/nowhere.test", admin)).statusCode).toBe(404);
  });

  it("reads as UTC on sites stored before the field existed", async () => {
    // Written as the store wrote sites before time zones: no `timezone` key.
    const root = open({ path: join(stack.dataDir, "lmdb") });
    await root.openDB({ name: "sites" }).put("old.test", {
      id: "old.test",
      name: "Old",
      domains: ["old.test"],
      createdAt: "2026-01-01T00:00:00.000Z",
    });
    await root.close();
    const res = await call("GET", "/sites/old.test", viewer);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: "old.test",
      name: "Old",
      domains: ["old.test"],
      timezone: "UTC",
    });
  });
});

describe("GET /sites/:id", () => {
  it("answers a signed-in user, 404 for an unknown site and 401 without a token", async () => {
    expect((await call("GET", "/sites/berlin.test", viewer)).json()).toMatchObject({
      id: "berlin.test",
      timezone: "Europe/Berlin",
    });
    const missing = await call("GET", "/sites/missing.test", viewer);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({
      code: "SITE_NOT_FOUND",
      message: 'No site "missing.test"',
    });
    expect((await call("GET", "/sites/berlin.test", {})).statusCode).toBe(401);
  });
});

describe("PATCH /sites/:id", () => {
  it("changes name, domains and time zone, keeping the fields it was not given", async () => {
    const renamed = await call("PATCH", "/sites/berlin.test", admin, { name: "Berlin shop" });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toEqual({
      id: "berlin.test",
      name: "Berlin shop",
      domains: ["berlin.test"],
      timezone: "Europe/Berlin",
    });
    const moved = await call("PATCH", "/sites/berlin.test", admin, {
      domains: ["berlin.test", "www.berlin.test"],
      timezone: "Asia/Kolkata",
    });
    expect(moved.json()).toEqual({
      id: "berlin.test",
      name: "Berlin shop",
      domains: ["berlin.test", "www.berlin.test"],
      timezone: "Asia/Kolkata",
    });
    expect((await call("GET", "/sites/berlin.test", viewer)).json()).toEqual(moved.json());
    // A site stored without a zone gets one.
    const old = await call("PATCH", "/sites/old.test", admin, { timezone: "America/New_York" });
    expect(old.json()).toMatchObject({ name: "Old", timezone: "America/New_York" });
  });

  it("keeps the collector's reader of the same LMDB database working", async () => {
    // The standalone collector (collector-node/src/sites.ts) reads id and domains only.
    const directory = new LmdbSiteDirectory(join(stack.dataDir, "lmdb"));
    expect(directory.get("berlin.test")).toEqual({
      id: "berlin.test",
      domains: ["berlin.test", "www.berlin.test"],
    });
    await directory.close();
  });

  it("answers 400 naming a bad field, 404 for an unknown site, 403 to a viewer", async () => {
    const cases: [object, RegExp][] = [
      [{ timezone: "Europe/Atlantis" }, /^body\/timezone: "Europe\/Atlantis" is not a time zone/],
      [{ domains: [] }, /domains/],
      [{ domains: ["Not A Domain"] }, /domains/],
      [{ name: "" }, /name/],
      [{ id: "other.test" }, /additional properties/],
      [{}, /fewer than 1 properties/],
    ];
    for (const [body, message] of cases) {
      const res = await call("PATCH", "/sites/berlin.test", admin, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().message, JSON.stringify(body)).toMatch(message);
    }
    const missing = await call("PATCH", "/sites/missing.test", admin, { name: "x" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe("SITE_NOT_FOUND");
    const forbidden = await call("PATCH", "/sites/berlin.test", viewer, { name: "Mine" });
    expect(forbidden.statusCode).toBe(403);
    expect((await call("GET", "/sites/berlin.test", viewer)).json().name).toBe("Berlin shop");
  });
});
