// The realtime report through the real stack: batches sent to /sl/e minutes apart on the
// collector's clock (testStack's `now`, which the report counts back from too), the spool, the
// shipper and embedded ClickHouse.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminEnv, login, testStack } from "../testing/stack.ts";

const MINUTE = 60_000;
const CHROME =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

/** Half a minute into the minute before the current one, so minutes are easy to name. */
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE / 2;
const CURRENT_MINUTE = NOW - MINUTE / 2;

let clock = NOW;
let stack: Awaited<ReturnType<typeof testStack>>;
let auth: Record<string, string>;

/** One batch, sent and received `minutesAgo` before NOW (the clock only moves forward). */
async function send(minutesAgo: number, events: object[], userAgent = CHROME) {
  clock = NOW - minutesAgo * MINUTE;
  const res = await stack.app.inject({
    method: "POST",
    url: "/sl/e",
    payload: JSON.stringify({ s: "rt.test", sv: "4", c: clock, e: events }),
    headers: { "content-type": "text/plain", "user-agent": userAgent },
    remoteAddress: "198.51.100.9",
  });
  expect(res.statusCode, res.body).toBe(204);
}

const event = (id: string, minutesAgo: number, visitor: string, path: string, referrer = "") => ({
  i: `rt-event-${id}`,
  n: "pageview",
  t: NOW - minutesAgo * MINUTE,
  u: `https://rt.test${path}`,
  ...(referrer ? { r: referrer } : {}),
  v: visitor,
  x: `${visitor}-session`,
});

beforeAll(async () => {
  stack = await testStack(adminEnv(), { now: () => clock });
  auth = { authorization: `Bearer ${await login(stack)}` };
  const created = await stack.app.inject({
    method: "POST",
    url: "/api/v1/sites",
    headers: auth,
    payload: { id: "rt.test", domains: ["rt.test"] },
  });
  expect(created.statusCode).toBe(201);
  const hn = "https://news.ycombinator.com/item?id=1";
  await send(40, [event("old", 40, "v-old", "/old")]);
  await send(20, [event("a", 20, "v-a", "/a")]);
  await send(6, [event("b", 6, "v-b", "/b")]);
  await send(4, [event("c1", 4, "v-c", "/pricing", hn)]);
  await send(3, [{ ...event("c2", 3, "v-c", "/pricing", hn), n: "signup" }]);
  await send(2, [event("d1", 2, "v-d", "/pricing")]);
  const e = [event("e", 1, "v-e", "/blog/x", "https://www.google.com/")];
  await send(1, e);
  await send(1 - 1 / 60, [event("bot", 1, "crawler", "/pricing")], GOOGLEBOT);
  // A retried copy of v-e's batch counts once.
  await send(1 - 2 / 60, e);
  await send(0, [event("d2", 0, "v-d", "/docs", "https://rt.test/pricing")]);
  await stack.shipper?.drain();
  clock = NOW;
});
afterAll(() => stack.close());

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field below
async function post(path: string, body: object): Promise<any> {
  const res = await stack.app.inject({
    method: "POST",
    url: `/api/v1/reports/${path}`,
    headers: auth,
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** The chart's 31 minutes with these [visitors, pageviews] by minutes ago, the rest 0. */
function chart(counts: Record<number, [number, number]>) {
  return Array.from({ length: 31 }, (_, i) => {
    const [visitors, pageviews] = counts[30 - i] ?? [0, 0];
    return {
      time: new Date(CURRENT_MINUTE - (30 - i) * MINUTE).toISOString(),
      visitors,
      pageviews,
    };
  });
}

describe("POST /reports/realtime", () => {
  it("counts the last 5 minutes' visitors, pages and sources, and charts the last half hour", async () => {
    expect(await post("realtime", { sites: ["rt.test"] })).toEqual({
      visitors: 3,
      minutes: chart({
        20: [1, 1],
        6: [1, 1],
        4: [1, 1],
        3: [1, 0],
        2: [1, 1],
        1: [1, 1],
        0: [1, 1],
      }),
      pages: [
        { page: "/pricing", visitors: 2 },
        { page: "/blog/x", visitors: 1 },
        { page: "/docs", visitors: 1 },
      ],
      sources: [
        { source: "direct", visitors: 1 },
        { source: "google.com", visitors: 1 },
        { source: "news.ycombinator.com", visitors: 1 },
      ],
    });
  });

  it("counts bots only when asked", async () => {
    const out = await post("realtime", { sites: ["rt.test"], includeBots: true });
    expect(out.visitors).toBe(4);
    expect(out.minutes[29]).toMatchObject({ visitors: 2, pageviews: 2 });
    expect(out.pages[0]).toEqual({ page: "/pricing", visitors: 3 });
  });

  it("applies filters, entry pages (sessions) included", async () => {
    const pricing = await post("realtime", {
      sites: ["rt.test"],
      filters: [{ dimension: "page", op: "is", value: "/pricing" }],
    });
    expect(pricing.visitors).toBe(2);
    expect(pricing.pages).toEqual([{ page: "/pricing", visitors: 2 }]);
    expect(pricing.minutes[30]).toMatchObject({ visitors: 0, pageviews: 0 });
    const entry = await post("realtime", {
      sites: ["rt.test"],
      filters: [{ dimension: "entry_page", op: "is", value: "/pricing" }],
    });
    expect(entry.visitors).toBe(2);
    expect(entry.pages).toEqual([
      { page: "/pricing", visitors: 2 },
      { page: "/docs", visitors: 1 },
    ]);
  });

  it("moves with the clock: a minute later the chart starts a minute later", async () => {
    clock = NOW + MINUTE;
    try {
      const out = await post("realtime", { sites: ["rt.test"] });
      // v-c's last event was 4 minutes before, now 5: still in (inclusive); v-b's is out.
      expect(out.visitors).toBe(3);
      expect(out.minutes).toHaveLength(31);
      expect(out.minutes[0].time).toBe(new Date(CURRENT_MINUTE - 29 * MINUTE).toISOString());
      expect(out.minutes[30]).toMatchObject({ visitors: 0, pageviews: 0 });
    } finally {
      clock = NOW;
    }
  });

  it("gives the overview the same number of visitors right now", async () => {
    const today = new Date(NOW).toISOString().slice(0, 10);
    const scope = { sites: ["rt.test"], from: today, to: today, tz: "UTC" };
    expect((await post("overview", scope)).realtime).toEqual({ visitors: 3, minutes: 5 });
    const filtered = await post("overview", {
      ...scope,
      filters: [{ dimension: "page", op: "is", value: "/pricing" }],
    });
    expect(filtered.realtime.visitors).toBe(2);
  });

  it("answers 404 for an unknown site and 400 naming a field it does not take", async () => {
    const missing = await stack.app.inject({
      method: "POST",
      url: "/api/v1/reports/realtime",
      headers: auth,
      payload: { sites: ["nope.test"] },
    });
    expect(missing.statusCode).toBe(404);
    const ranged = await stack.app.inject({
      method: "POST",
      url: "/api/v1/reports/realtime",
      headers: auth,
      payload: { sites: ["rt.test"], from: "2026-01-01" },
    });
    expect(ranged.statusCode).toBe(400);
    expect(ranged.json().message).toMatch(/additional properties/);
  });
});
