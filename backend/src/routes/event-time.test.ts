// Retries and late delivery through the real stack: HTTP ingest on 127.0.0.1, the spool, the
// shipper and embedded ClickHouse. The collector's clock is set by the test (testStack's `now`),
// so copies of one batch can arrive on two different days.
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminEnv, login, testStack } from "../testing/stack.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHROME =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

let clock = Date.now();
let stack: Awaited<ReturnType<typeof testStack>>;
let base: string;
let auth: Record<string, string>;

beforeAll(async () => {
  stack = await testStack(adminEnv(), { now: () => clock });
  await stack.app.listen({ host: "127.0.0.1", port: 0 });
  base = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
  auth = { authorization: `Bearer ${await login(stack)}`, "content-type": "application/json" };
  for (const id of ["month.test", "midnight.test", "late.test"]) {
    const res = await fetch(`${base}/api/v1/sites`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ id, domains: [id] }),
    });
    expect(res.status).toBe(201);
  }
});
afterAll(() => stack.close());

/** POSTs one batch as the tracker does, its send time `c` read off the sender's clock. */
async function send(site: string, events: object[], sentAt: number) {
  const res = await fetch(`${base}/sl/e`, {
    method: "POST",
    headers: { "content-type": "text/plain", "user-agent": CHROME },
    body: JSON.stringify({ s: site, sv: "4", c: sentAt, e: events }),
  });
  expect(res.status, await res.text()).toBe(204);
}

async function query(spec: object) {
  const res = await fetch(`${base}/api/v1/query`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify(spec),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { rows: Record<string, number | string | null>[] };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe("a batch retried across midnight", () => {
  // The first day of this month (a month boundary) and a plain midnight in the month before.
  const now = new Date();
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const boundaries = [
    { site: "month.test", midnight: monthStart },
    { site: "midnight.test", midnight: monthStart - 15 * DAY },
  ];

  it.each(boundaries)(
    "counts each event id once in every metric and series ($site)",
    async ({ site, midnight }) => {
      const made = midnight - 3000; // 23:59:57
      const page = `https://${site}/checkout`;
      const retried = [
        { i: `${site}-pv-1`, n: "pageview", t: made - 2000, u: page, v: "buyer-1", x: "s-1" },
        {
          i: `${site}-buy-1`,
          n: "purchase",
          t: made,
          u: page,
          v: "buyer-1",
          x: "s-1",
          m: { a: 100, c: "EUR" },
          p: { qty: 2 },
        },
        {
          i: `${site}-eng-1`,
          n: "engagement",
          t: made + 500,
          u: page,
          v: "buyer-1",
          x: "s-1",
          em: 12_000,
          sd: 80,
        },
      ];
      // First sent at 23:59:58; its 204 never reached the tracker, which sends it again at 00:00:03.
      clock = midnight - 2000;
      await send(site, retried, clock - 30);
      // Another buyer's batch, delivered once.
      await send(
        site,
        [
          {
            i: `${site}-buy-2`,
            n: "purchase",
            t: made,
            u: page,
            v: "buyer-2",
            x: "s-2",
            m: { a: 50, c: "EUR" },
            p: { qty: 1 },
          },
          {
            i: `${site}-eng-2`,
            n: "engagement",
            t: made + 700,
            u: page,
            v: "buyer-2",
            x: "s-2",
            em: 6_000,
            sd: 40,
          },
        ],
        clock - 30,
      );
      clock = midnight + 3000;
      await send(site, retried, clock - 45);
      clock = Date.now();
      await stack.shipper?.drain();

      const range = { sites: [site], from: day(midnight - DAY), to: day(midnight), tz: "UTC" };
      const metrics = [
        "events",
        "pageviews",
        "visitors",
        "revenue",
        "engaged_time",
        "scroll_depth",
        { name: "sum", property: "qty" },
        { name: "avg", property: "qty" },
      ];
      const totals = await query({ ...range, metrics });
      expect(totals.rows).toEqual([
        {
          events: 5,
          pageviews: 1,
          visitors: 2,
          revenue: 150,
          engaged_time: 9,
          scroll_depth: 60,
          "sum(qty)": 3,
          "avg(qty)": 1.5,
        },
      ]);
      // Every event sits on the day it happened, once: nothing on the day the retry arrived.
      const series = await query({ ...range, granularity: "day", metrics });
      expect(series.rows).toEqual([
        { time: day(made), ...totals.rows[0] },
        {
          time: day(midnight),
          events: 0,
          pageviews: 0,
          visitors: 0,
          revenue: 0,
          engaged_time: null,
          scroll_depth: null,
          "sum(qty)": 0,
          "avg(qty)": null,
        },
      ]);
      const hourly = await query({ ...range, granularity: "hour", metrics: ["events"] });
      expect(hourly.rows.filter((r) => r.events !== 0)).toEqual([
        { time: `${day(made)}T23:00:00+00:00`, events: 5 },
      ]);
    },
  );
});

describe("late delivery", () => {
  it("lands an event queued offline for 3 hours in its own hour, and one from a clock 2 days wrong at the right time", async () => {
    const hour = Math.floor(Date.now() / HOUR) * HOUR;
    clock = hour + 20 * 60_000; // hh:20
    const t = clock - 3 * HOUR; // made 3 hours earlier, at (hh-3):20
    await send(
      "late.test",
      [{ i: "late-offline-1", n: "pageview", t, u: "https://late.test/", v: "v1" }],
      clock - 50,
    );
    // This browser's clock is two days behind: its event happened at (hh-2):20 real time.
    const wrong = -2 * DAY;
    await send(
      "late.test",
      [
        {
          i: "late-skewed-1",
          n: "pageview",
          t: clock - 2 * HOUR + wrong,
          u: "https://late.test/",
          v: "v2",
        },
      ],
      clock + wrong - 50,
    );
    clock = Date.now();
    await stack.shipper?.drain();

    const from = day(hour - 4 * HOUR);
    const hourly = await query({
      sites: ["late.test"],
      from,
      to: day(hour),
      tz: "UTC",
      granularity: "hour",
      metrics: ["pageviews"],
    });
    const label = (ms: number) => `${new Date(ms).toISOString().slice(0, 13)}:00:00+00:00`;
    expect(hourly.rows.filter((r) => r.pageviews !== 0)).toEqual([
      { time: label(hour - 3 * HOUR), pageviews: 1 },
      { time: label(hour - 2 * HOUR), pageviews: 1 },
    ]);
  });
});
