import { collect } from "@sightline/edge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminEnv, login, testStack } from "../testing/stack.ts";

let stack: Awaited<ReturnType<typeof testStack>>;
let auth: { authorization: string };

const DAY = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
const weekAgo = new Date(Date.now() - 6 * DAY).toISOString().slice(0, 10);

beforeAll(async () => {
  stack = await testStack(adminEnv());
  auth = { authorization: `Bearer ${await login(stack)}` };
  await stack.app.inject({
    method: "POST",
    url: "/api/v1/sites",
    headers: auth,
    payload: { id: "shop.test", domains: ["shop.test"] },
  });
});
afterAll(() => stack.close());

async function send(
  events: object[],
  userAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36",
) {
  const res = await stack.app.inject({
    method: "POST",
    url: "/sl/e",
    payload: JSON.stringify({ s: "shop.test", e: events }),
    headers: { "content-type": "text/plain", "user-agent": userAgent },
  });
  expect(res.statusCode).toBe(204);
}

function event(id: string, visitor: string, name = "pageview", t = Date.now()) {
  return { i: id, n: name, t, u: "https://shop.test/a", v: visitor, x: `s-${visitor}` };
}

const daily = (query: string) =>
  stack.app.inject({ method: "GET", url: `/api/v1/stats/daily?${query}`, headers: auth });

describe("GET /api/v1/stats/daily", () => {
  it("counts pageviews and unique visitors per day, each event id once, bots left out", async () => {
    const visitors = ["va", "vb", "vc"];
    const events = visitors.flatMap((v, n) =>
      Array.from({ length: n + 1 }, (_, k) => event(`stats-${v}-${k}`, v)),
    );
    await send(events);
    // The same batch again (a retry): must not change any count.
    await send(events);
    await send([event("stats-signup-1", "va", "signup")]);
    await send(
      [event("stats-bot-1", "bot-visitor")],
      "Googlebot/2.1 (+http://www.google.com/bot.html)",
    );
    await stack.shipper?.drain();

    const res = await daily(`site=shop.test&from=${weekAgo}&to=${today}&tz=UTC`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const expectedPageviews = visitors.reduce((sum, _, n) => sum + n + 1, 0);
    expect(body.totals).toEqual({ pageviews: expectedPageviews, visitors: visitors.length });
    expect(body.days).toHaveLength(7);
    expect(body.days.at(-1)).toEqual({ date: today, pageviews: expectedPageviews, visitors: 3 });
    expect(body.days.find((d: { date: string }) => d.date === yesterday)).toEqual({
      date: yesterday,
      pageviews: 0,
      visitors: 0,
    });
  });

  it("answers 400 naming the problem for bad ranges and time zones, 404 for an unknown site", async () => {
    const backwards = await daily(`site=shop.test&from=${today}&to=${weekAgo}`);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().message).toMatch(/to: must not be before from/);
    const notADate = await daily("site=shop.test&from=2026-02-30&to=2026-03-01");
    expect(notADate.json().message).toMatch(/from: "2026-02-30" is not a calendar date/);
    const badTz = await daily(`site=shop.test&from=${today}&to=${today}&tz=Mars/Olympus`);
    expect(badTz.statusCode).toBe(400);
    expect(badTz.json().message).toMatch(/tz/);
    const missing = await daily(`from=${today}&to=${today}`);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/site/);
    const unknown = await daily(`site=other.test&from=${today}&to=${today}`);
    expect(unknown.statusCode).toBe(404);
  });

  it("groups by the local day of the requested time zone, across a DST change", async () => {
    // Rows stamped at chosen server times, built by the real collector core.
    const at = async (iso: string, id: string) => {
      const now = Date.parse(iso);
      const result = await collect(
        {
          body: JSON.stringify({ s: "shop.test", e: [event(id, `v-${id}`, "pageview", now)] }),
          ip: "192.0.2.1",
          userAgent: "Mozilla/5.0 Chrome/140.0",
          origin: null,
          now,
        },
        {
          salts: { saltFor: async () => "test-salt" },
          sites: { get: (siteId) => ({ id: siteId, domains: [] }) },
        },
      );
      if (!result.ok) throw new Error(result.message);
      await stack.ch.client.insert({
        table: "sightline.events",
        values: result.rows,
        format: "JSONEachRow",
      });
    };
    await at("2026-01-10T23:30:00Z", "tz-tokyo"); // 2026-01-11 08:30 in Tokyo
    await at("2026-03-08T06:30:00Z", "tz-ny-after"); // 01:30 EST, before the 02:00 jump
    await at("2026-03-08T07:30:00Z", "tz-ny-skip"); // 03:30 EDT, same New York day
    await at("2026-03-09T03:59:00Z", "tz-ny-late"); // 23:59 EDT on the 8th

    const days = async (from: string, to: string, tz: string) =>
      Object.fromEntries(
        (
          (await daily(`site=shop.test&from=${from}&to=${to}&tz=${tz}`)).json().days as {
            date: string;
            pageviews: number;
          }[]
        ).map((d) => [d.date, d.pageviews]),
      );
    expect(await days("2026-01-10", "2026-01-11", "UTC")).toEqual({
      "2026-01-10": 1,
      "2026-01-11": 0,
    });
    expect(await days("2026-01-10", "2026-01-11", "Asia/Tokyo")).toEqual({
      "2026-01-10": 0,
      "2026-01-11": 1,
    });
    expect(await days("2026-03-07", "2026-03-09", "America/New_York")).toEqual({
      "2026-03-07": 0,
      "2026-03-08": 3,
      "2026-03-09": 0,
    });
    expect(await days("2026-03-07", "2026-03-09", "UTC")).toEqual({
      "2026-03-07": 0,
      "2026-03-08": 2,
      "2026-03-09": 1,
    });
  });
});
