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

const call = (
  method: "GET" | "POST" | "PATCH" | "DELETE" | "PUT",
  url: string,
  headers: object,
  payload?: object,
) => stack.app.inject({ method, url: `/api/v1${url}`, headers: { ...headers }, payload });

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

/** A site's current retention override as ClickHouse's TTLs read it (null: the defaults). */
async function storedRetention(site: string) {
  const rs = await stack.ch.client.query({
    query:
      "SELECT argMax(raw_months, updated_at) AS raw, argMax(rollup_months, updated_at) AS rollup FROM sightline.site_retention WHERE site_id = {site:String} GROUP BY site_id",
    query_params: { site },
    format: "JSONEachRow",
  });
  const rows = await rs.json<{ raw: number; rollup: number }>();
  return rows[0] ?? null;
}

describe("site settings: retention, tracker identity and features", () => {
  it("takes them on creation and writes the retention to the database's TTLs", async () => {
    const created = await call("POST", "/sites", admin, {
      id: "settings.test",
      domains: ["settings.test"],
      retention: { rawMonths: 6, rollupMonths: 24 },
      identity: "storage",
      features: ["scroll", "errors"],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      retention: { rawMonths: 6, rollupMonths: 24 },
      identity: "storage",
      features: ["scroll", "errors"],
    });
    expect(await storedRetention("settings.test")).toEqual({ raw: 6, rollup: 24 });
    // The creator owns it.
    const me = await call("GET", "/me", admin);
    expect(me.json().sites["settings.test"]).toBe("owner");
  });

  it("changes them, and refuses what cannot be", async () => {
    const changed = await call("PATCH", "/sites/settings.test", admin, {
      retention: { rawMonths: 3, rollupMonths: 12 },
      identity: "fingerprint",
      features: [],
    });
    expect(changed.json()).toMatchObject({
      retention: { rawMonths: 3, rollupMonths: 12 },
      identity: "fingerprint",
      features: [],
    });
    expect(await storedRetention("settings.test")).toEqual({ raw: 3, rollup: 12 });
    const cases: [object, RegExp][] = [
      [
        { retention: { rawMonths: 12, rollupMonths: 6 } },
        /^body\/retention\/rollupMonths: rollups are made from raw events/,
      ],
      [{ retention: { rawMonths: 0, rollupMonths: 6 } }, /rawMonths/],
      [{ identity: "cookie" }, /identity/],
      [{ features: ["keystrokes"] }, /features/],
      [{ features: ["scroll", "scroll"] }, /features/],
    ];
    for (const [body, message] of cases) {
      const res = await call("PATCH", "/sites/settings.test", admin, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().message, JSON.stringify(body)).toMatch(message);
    }
    expect(await storedRetention("settings.test")).toEqual({ raw: 3, rollup: 12 });
  });
});

describe("DELETE /sites/:id", () => {
  const send = async (site: string, id: string) => {
    const res = await stack.app.inject({
      method: "POST",
      url: "/sl/e",
      payload: JSON.stringify({ s: site, e: [pageview(id, Date.now() - MINUTE, "v-1")] }),
      headers: { "content-type": "text/plain", "user-agent": CHROME },
    });
    return res.statusCode;
  };
  const rows = async (site: string) => {
    const counts: Record<string, number> = {};
    for (const table of ["events", "bot_events", "events_hourly", "visitor_slots"]) {
      const rs = await stack.ch.client.query({
        query: `SELECT count() AS n FROM sightline.${table} WHERE site_id = {site:String}`,
        query_params: { site },
        format: "JSONEachRow",
      });
      counts[table] = Number((await rs.json<{ n: number }>())[0]?.n ?? 0);
    }
    return counts;
  };
  const spec = (sites: string[]) => ({
    sites,
    from: "2026-03-01",
    to: "2026-03-31",
    tz: "UTC",
    metrics: ["visitors"],
  });
  const widget = (name: string, sites: string[]) => ({
    name,
    source: { kind: "query", spec: spec(sites) },
    visual: { type: "number" },
  });

  it("needs the site's id typed again and its owner; then its data, roles and dashboards go", async () => {
    clock = null;
    for (const id of ["doomed.test", "kept.test"]) {
      expect((await call("POST", "/sites", admin, { id, domains: [id] })).statusCode).toBe(201);
    }
    setRole(stack, VIEWER.email, "doomed.test", "admin");
    setRole(stack, VIEWER.email, "kept.test", "viewer");
    expect(await send("doomed.test", "doomed-event-0001")).toBe(204);
    expect(await send("kept.test", "kept-event-00001")).toBe(204);
    await stack.shipper?.drain();
    expect((await rows("doomed.test")).events).toBe(1);
    const only = await call("POST", "/dashboards", admin, {
      name: "Doomed only",
      sites: ["doomed.test"],
      widgets: [widget("Visitors", ["doomed.test"])],
    });
    const both = await call("POST", "/dashboards", admin, {
      name: "Both",
      sites: ["doomed.test", "kept.test"],
      widgets: [
        widget("Doomed", ["doomed.test"]),
        widget("Both", ["doomed.test", "kept.test"]),
        widget("Kept", ["kept.test"]),
      ],
    });
    expect(both.statusCode, both.body).toBe(201);
    await call("PUT", "/errors/doomed.test/abc123", admin, { state: "resolved" });
    const invited = await call("POST", "/invitations", admin, {
      email: "later@example.test",
      sites: [
        { site: "doomed.test", role: "viewer" },
        { site: "kept.test", role: "editor" },
      ],
    });
    expect(invited.statusCode).toBe(201);

    const wrong = await call("DELETE", "/sites/doomed.test", admin, { confirm: "kept.test" });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({
      code: "CONFIRMATION_MISMATCH",
      message:
        'body/confirm: type the site\'s id ("doomed.test") to confirm that it and all its data are deleted',
    });
    expect((await call("DELETE", "/sites/doomed.test", admin)).statusCode).toBe(400);
    // A site admin may change it, not delete it.
    const byAdmin = await call("DELETE", "/sites/doomed.test", viewer, { confirm: "doomed.test" });
    expect(byAdmin.statusCode).toBe(403);
    expect((await rows("doomed.test")).events).toBe(1);

    const res = await call("DELETE", "/sites/doomed.test", admin, { confirm: "doomed.test" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      id: "doomed.test",
      deleted: true,
      members: 2,
      dashboards: { changed: 1, deleted: 1 },
    });
    expect(await rows("doomed.test")).toEqual({
      events: 0,
      bot_events: 0,
      events_hourly: 0,
      visitor_slots: 0,
    });
    expect((await rows("kept.test")).events).toBe(1);
    expect((await rows("kept.test")).events_hourly).toBeGreaterThan(0);
    expect((await call("GET", "/sites/doomed.test", admin)).statusCode).toBe(404);
    expect(stack.store.users.byEmail(VIEWER.email)?.roles["doomed.test"]).toBeUndefined();
    expect((await call("GET", `/dashboards/${only.json().id}`, admin)).statusCode).toBe(404);
    const left = (await call("GET", `/dashboards/${both.json().id}`, admin)).json();
    expect(left.sites).toEqual(["kept.test"]);
    expect(left.widgets.map((w: { name: string }) => w.name)).toEqual(["Both", "Kept"]);
    expect(left.widgets[0].source.spec.sites).toEqual(["kept.test"]);
    expect(left.layout).toHaveLength(2);
    expect(left.updatedBy).toBe("admin@example.test");
    expect(stack.store.triagedErrors(["doomed.test"])).toEqual([]);
    const pending = (await call("GET", "/invitations", admin)).json().invitations;
    expect(pending.find((i: { email: string }) => i.email === "later@example.test").sites).toEqual([
      { site: "kept.test", role: "editor" },
    ]);
    // The collector stops taking its events.
    const directory = new LmdbSiteDirectory(join(stack.dataDir, "lmdb"));
    expect(directory.get("doomed.test")).toBeUndefined();
    await directory.close();
    expect(await send("doomed.test", "doomed-event-0002")).toBe(403);
    const audit = stack.store.audit.page(5).entries.find((e) => e.action === "site.deleted");
    expect(audit).toMatchObject({ site: "doomed.test", actor: { email: "admin@example.test" } });
  });
});
