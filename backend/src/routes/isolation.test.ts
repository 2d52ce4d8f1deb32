// One client's failing reports must never fail another's: concurrent HTTP requests against the
// running stack (embedded ClickHouse), good ones mixed with ones that fail inside the engine.
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminEnv, login, pageview, testStack } from "../testing/stack.ts";

let stack: Awaited<ReturnType<typeof testStack>>;
let base: string;
let headers: Record<string, string>;
const today = new Date().toISOString().slice(0, 10);
type Overview = { totals: { pageviews: number }; series: unknown[] };
const scope = { sites: ["iso.test"], from: today, to: today, tz: "Europe/Berlin" };

beforeAll(async () => {
  stack = await testStack(adminEnv());
  await stack.app.listen({ host: "127.0.0.1", port: 0 });
  base = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
  headers = { authorization: `Bearer ${await login(stack)}`, "content-type": "application/json" };
  await fetch(`${base}/api/v1/sites`, {
    method: "POST",
    headers,
    body: JSON.stringify({ id: "iso.test", domains: ["iso.test"] }),
  });
  const events = Array.from({ length: 40 }, (_, i) =>
    pageview(`iso-event-${i}`, `https://iso.test/p${i % 7}`, `visitor-${i % 11}`),
  );
  const res = await fetch(`${base}/sl/e`, {
    method: "POST",
    headers: { "content-type": "text/plain", "user-agent": "Mozilla/5.0 Chrome/140.0" },
    body: JSON.stringify({ s: "iso.test", e: events }),
  });
  expect(res.status).toBe(204);
  await stack.shipper?.drain();
});
afterAll(() => stack.close());

const post = (path: string, body: object) =>
  fetch(`${base}/api/v1${path}`, { method: "POST", headers, body: JSON.stringify(body) });

describe("concurrent reports", () => {
  it("answer every good request while others fail in the engine at the same time", async () => {
    const expected = (await (await post("/reports/overview", scope)).json()) as Overview;
    expect(expected.totals.pageviews).toBe(40);
    const badRegex = { ...scope, filters: [{ dimension: "page", op: "matches", value: "([" }] };
    const good = () => post("/reports/overview", scope);
    const bad = (i: number) =>
      i % 3 === 0
        ? post("/reports/overview", badRegex)
        : i % 3 === 1
          ? post("/query", { ...badRegex, metrics: ["visitors"], dimensions: ["page"] })
          : post("/reports/pages", { ...scope, tz: "US/Pacific-New" });
    const calls = Array.from({ length: 20 }, (_, i) => [good(), bad(i)]).flat();
    const answers = await Promise.all(calls);
    const goods = answers.filter((_, i) => i % 2 === 0);
    const bads = answers.filter((_, i) => i % 2 === 1);
    expect(goods.map((r) => r.status)).toEqual(Array(20).fill(200));
    for (const r of goods) {
      const body = (await r.json()) as Overview;
      expect(body.totals).toEqual(expected.totals);
      expect(body.series).toEqual(expected.series);
    }
    expect(bads.map((r) => r.status)).toEqual(Array(20).fill(400));
    // The bad ones each say what was wrong with them.
    const message = async (r: Response | undefined) =>
      ((await r?.json()) as { message: string } | undefined)?.message;
    expect(await message(bads[0])).toMatch(/regular expression/);
    expect(await message(bads[2])).toMatch(/tz: "US\/Pacific-New"/);
  });
});
