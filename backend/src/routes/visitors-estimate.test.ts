// Visitor counts are uniqCombined64 estimates unless a spec asks for `exact: true`; the docs state
// their error as at most 1% at 95% confidence. This checks the bound against exact counts, on
// groups large enough that the estimator no longer counts exactly (small sets it counts exactly),
// from raw events and from the rollups, while counts of events and pageviews stay exact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminEnv, everySource, login, testStack } from "../testing/stack.ts";

let stack: Awaited<ReturnType<typeof testStack>>;
let auth: { authorization: string };

/** Page k has VISITORS(k) visitors of its own, one pageview each: 24 groups, 300k visitors. */
const PAGES = 24;
const VISITORS = (k: number) => 1_000 * (k + 1);
const TOTAL = Array.from({ length: PAGES }, (_, k) => VISITORS(k)).reduce((a, b) => a + b, 0);

beforeAll(async () => {
  stack = await testStack(adminEnv());
  auth = { authorization: `Bearer ${await login(stack)}` };
  const res = await stack.app.inject({
    method: "POST",
    url: "/api/v1/sites",
    headers: auth,
    payload: { id: "many.test", domains: ["many.test"] },
  });
  expect(res.statusCode, res.body).toBe(201);
  // Rows made by the engine: page k holds numbers whose offset within k's block is below
  // VISITORS(k); the block size is the largest group, so every visitor id is distinct.
  const block = VISITORS(PAGES - 1);
  await stack.ch.client.command({
    query: `INSERT INTO sightline.events (event_id, site_id, ts, name, visitor_id, session_id, hostname, pathname, device)
      SELECT concat('e-', toString(number)), 'many.test',
        toDateTime64('2026-06-15 00:00:00', 3, 'UTC') + toIntervalMillisecond(number % 86400000),
        'pageview', concat('v-', toString(number)), concat('s-', toString(number)),
        'many.test', concat('/p', toString(intDiv(number, ${block}))), 'desktop'
      FROM numbers(${PAGES * block})
      WHERE number % ${block} < 1000 * (intDiv(number, ${block}) + 1)`,
    clickhouse_settings: { async_insert: 0 },
  });
}, 300_000);
afterAll(() => stack.close());

type Row = Record<string, string | number>;
async function rows(spec: object): Promise<Row[]> {
  const res = await stack.app.inject({
    method: "POST",
    url: "/api/v1/query",
    headers: auth,
    payload: {
      sites: ["many.test"],
      from: "2026-06-15",
      to: "2026-06-15",
      tz: "UTC",
      limit: 100,
      ...spec,
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { rows: Row[] }).rows;
}

describe("visitor estimates", () => {
  it("stay within 1% of exact counts, which exact: true gives, with events and pageviews exact", async () => {
    await everySource(stack, async (source) => {
      const spec = { dimensions: ["page"], metrics: ["visitors", "pageviews", "events"] };
      const estimated = await rows(spec);
      const exact = await rows({ ...spec, exact: true });
      expect(estimated, source).toHaveLength(PAGES);
      const truth = new Map(exact.map((r) => [r.page, r]));
      const errors: number[] = [];
      for (const row of estimated) {
        const k = Number(String(row.page).slice(2));
        const want = VISITORS(k);
        expect(truth.get(row.page)?.visitors, `${source} ${row.page}`).toBe(want);
        expect(row.pageviews, `${source} ${row.page}`).toBe(want);
        expect(row.events, `${source} ${row.page}`).toBe(want);
        errors.push(Math.abs(Number(row.visitors) - want) / want);
      }
      // Every group within 1%: more than the stated 95% of them.
      expect(Math.max(...errors), source).toBeLessThanOrEqual(0.01);
      const [total] = await rows({ metrics: ["visitors", "pageviews"] });
      const [totalExact] = await rows({ metrics: ["visitors"], exact: true });
      expect(totalExact?.visitors).toBe(TOTAL);
      expect(total?.pageviews).toBe(TOTAL);
      expect(Math.abs(Number(total?.visitors) - TOTAL) / TOTAL, source).toBeLessThanOrEqual(0.01);
    });
  });
});
