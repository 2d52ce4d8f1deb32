// Sites and their settings through the real stack: LMDB as the running process opens it, and the
// collector's own reader of the same database.
import { join } from "node:path";
import { LmdbSiteDirectory } from "@sightline/collector-node";
import { open } from "lmdb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, adminEnv, login, setRole, testStack } from "../testing/stack.ts";

let stack: Awaited<ReturnType<typeof testStack>>;
/** The collector's (and the status route's) clock: the real one unless a test sets it. */
let clock: number | null = null;
let admin: Record<string, string>;
let viewer: Record<string, string>;

const VIEWER = { email: "viewer@example.test", password: "another long passphrase" };

beforeAll(async () => {
  stack = await testStack(adminEnv(), { now: () => clock ?? Date.now() });
  admin = { authorization: `Bearer ${await login(stack)}` };
  await addUser(stack, VIEWER);
  viewer = { authorization: `Bearer ${await login(stack, VIEWER)}` };
});
afterAll(() => stack.close());

const call = (method: "GET" | "POST" | "PATCH", url: string, headers: object, payload?: object) =>
  stack.app.inject({ method, url: `/api/v1${url}`, headers: { ...headers }, payload });

/** What a site has unless told otherwise (besides its time zone). */
const DEFAULTS = {
  retention: { rawMonths: 13, rollupMonths: 60 },
  identity: "cookieless",
  features: ["engagement", "scroll", "outbound", "download", "form", "404"],
};

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
      ...DEFAULTS,
    });
    const berlin = await call("POST", "/sites", admin, {
      id: "berlin.test",
      domains: ["berlin.test"],
      timezone: "Europe/Berlin",
    });
    expect(berlin.statusCode).toBe(201);
    expect(berlin.json().timezone).toBe("Europe/Berlin");
    // A viewer lists the sites they have a role on, and only those.
    setRole(stack, VIEWER.email, "berlin.test", "viewer");
    const list = await call("GET", "/sites", viewer);
    expect(list.json().sites).toEqual([berlin.json()]);
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
    setRole(stack, VIEWER.email, "old.test", "viewer");
    const res = await call("GET", "/sites/old.test", viewer);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: "old.test",
      name: "Old",
      domains: ["old.test"],
      timezone: "UTC",
      ...DEFAULTS,
    });
  });
});

describe("GET /sites/:id", () => {
  it("answers a member, 404 for an unknown site and 401 without a token", async () => {
    expect((await call("GET", "/sites/berlin.test", viewer)).json()).toMatchObject({
      id: "berlin.test",
      timezone: "Europe/Berlin",
    });
    const missing = await call("GET", "/sites/missing.test", admin);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({
      code: "SITE_NOT_FOUND",
      message: 'No site "missing.test"',
    });
    expect((await call("GET", "/sites/berlin.test", {})).statusCode).toBe(401);
    // Whether it exists or not, a site one has no role on is refused alike.
    expect((await call("GET", "/sites/missing.test", viewer)).statusCode).toBe(403);
    expect((await call("GET", "/sites/plain.test", viewer)).statusCode).toBe(403);
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
      ...DEFAULTS,
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
      ...DEFAULTS,
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

const CHROME =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** One batch as the tracker sends it, sent and received at `at` (the clock moves there). */
async function send(events: object[], at: number, userAgent = CHROME) {
  clock = at;
  const res = await stack.app.inject({
    method: "POST",
    url: "/sl/e",
    payload: JSON.stringify({ s: "status.test", sv: "4", c: at, e: events }),
    headers: { "content-type": "text/plain", "user-agent": userAgent },
    remoteAddress: "198.51.100.7",
  });
  expect(res.statusCode, res.body).toBe(204);
}
const pageview = (id: string, at: number, visitor: string) => ({
  i: id,
  n: "pageview",
  t: at,
  u: "https://status.test/",
  v: visitor,
  x: `${visitor}-session`,
});
const status = async (headers = viewer) => {
  const res = await call("GET", "/sites/status.test/status", headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

// The clock only moves forward here: the collector's rate limits refill by it.
const NOW = Date.now();
const FIRST = NOW - 3 * DAY + 1234;

describe("GET /sites/:id/status", () => {
  it("is empty for a new site, then tells bot-only traffic apart", async () => {
    const created = await call("POST", "/sites", admin, {
      id: "status.test",
      domains: ["status.test"],
    });
    expect(created.statusCode).toBe(201);
    setRole(stack, VIEWER.email, "status.test", "viewer");
    expect(await status()).toEqual({
      firstEventAt: null,
      lastEventAt: null,
      events24h: 0,
      botEvents24h: 0,
    });
    const bot = FIRST - 2 * 60 * MINUTE;
    await send([pageview("status-bot-1", bot - MINUTE, "crawler")], bot, GOOGLEBOT);
    await stack.shipper?.drain();
    expect(await status()).toEqual({
      firstEventAt: null,
      lastEventAt: null,
      events24h: 0,
      botEvents24h: 1,
    });
  });

  it("has the first and last human event to the millisecond and the last 24 hours' counts", async () => {
    const middle = NOW - 2 * DAY + 17 * MINUTE;
    const last = NOW - 10 * MINUTE;
    await send([pageview("status-human-1", FIRST, "early")], FIRST);
    await send([pageview("status-human-2", middle, "early")], middle);
    await send([pageview("status-human-3", last, "late")], last);
    // A retried copy of the last batch counts once.
    await send([pageview("status-human-3", last, "late")], last + 5_000);
    await stack.shipper?.drain();
    clock = NOW;
    // The bot's event is more than a day old now.
    expect(await status()).toEqual({
      firstEventAt: new Date(FIRST).toISOString(),
      lastEventAt: new Date(last).toISOString(),
      events24h: 1,
      botEvents24h: 0,
    });
  });

  it("finds the first event in the hourly rollup when its raw rows are gone", async () => {
    // Raw events are kept for less time than rollups: the first hour's raw rows expire first.
    await stack.ch.client.command({
      query: "ALTER TABLE sightline.events DELETE WHERE event_id = 'status-human-1'",
      clickhouse_settings: { mutations_sync: "2" },
    });
    expect((await status()).firstEventAt).toBe(
      `${new Date(FIRST).toISOString().slice(0, 13)}:00:00.000Z`,
    );
  });

  it("answers 404 for an unknown site and 401 without a token", async () => {
    const missing = await call("GET", "/sites/missing.test/status", admin);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe("SITE_NOT_FOUND");
    expect((await call("GET", "/sites/status.test/status", {})).statusCode).toBe(401);
  });
});
