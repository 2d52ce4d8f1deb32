// GET /query/meta against the real compiler and engine: everything it lists compiles and runs
// through POST /query, and the limits it reports are the ones /query enforces.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIMENSION_LABELS, sampleMetric } from "../query/meta.ts";
import { SPEC_LIMITS } from "../schemas/query.ts";
import { adminEnv, login, testStack } from "../testing/stack.ts";

let stack: Awaited<ReturnType<typeof testStack>>;
let admin: Record<string, string>;

beforeAll(async () => {
  stack = await testStack(adminEnv());
  admin = { authorization: `Bearer ${await login(stack)}` };
  const site = await call("POST", "/sites", { id: "a.test", domains: ["a.test"] });
  expect(site.statusCode).toBe(201);
});
afterAll(() => stack.close());

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field below
type Json = any;

const call = (method: "GET" | "POST", url: string, payload?: object) =>
  stack.app.inject({ method, url: `/api/v1${url}`, headers: admin, payload });

const spec = (extra: object = {}) => ({
  sites: ["a.test"],
  from: "2026-03-01",
  to: "2026-03-31",
  tz: "UTC",
  metrics: ["visitors"],
  granularity: "day",
  ...extra,
});

describe("GET /query/meta", () => {
  it("lists the metrics and dimensions /query accepts, each of which compiles and runs", async () => {
    const anonymous = await stack.app.inject({ method: "GET", url: "/api/v1/query/meta" });
    expect(anonymous.statusCode).toBe(401);
    const res = await call("GET", "/query/meta");
    expect(res.statusCode).toBe(200);
    const meta = res.json();
    expect(meta.limits).toEqual(SPEC_LIMITS);
    expect(meta.propertyDimension).toBe("prop:<key>");
    expect(meta.filterOps).toEqual(["is", "is_not", "contains", "not_contains", "matches", "in"]);
    expect(meta.compare).toEqual(["previous_period", "year_earlier"]);
    expect(meta.maxDays).toBe(366);
    expect(meta.metrics.find((m: Json) => m.name === "bounce_rate")).toEqual({
      name: "bounce_rate",
      label: "Bounce rate",
      kind: "rate",
      session: true,
    });
    expect(meta.metrics.find((m: Json) => m.name === "quantile")).toMatchObject({
      needs: ["property", "q"],
      session: false,
    });
    expect(meta.dimensions.find((d: Json) => d.name === "entry_page")).toEqual({
      name: "entry_page",
      label: "Entry page",
      session: true,
    });
    for (const d of meta.dimensions) expect(DIMENSION_LABELS[d.name], d.name).toBeDefined();

    // Every metric, with what it needs, in one query; every dimension in its own.
    const metrics = meta.metrics.map((m: Json, i: number) => ({
      ...(sampleMetric(m.name) as object),
      label: `m${i}`,
    }));
    const all = await call("POST", "/query", spec({ metrics, granularity: undefined }));
    expect(all.statusCode, all.body).toBe(200);
    for (const m of meta.metrics.filter((x: Json) => x.needs)) {
      const bare = await call("POST", "/query", spec({ metrics: [{ name: m.name }] }));
      expect(bare.statusCode, m.name).toBe(400);
    }
    for (const d of [...meta.dimensions.map((x: Json) => x.name), "prop:plan"]) {
      const one = await call("POST", "/query", spec({ dimensions: [d] }));
      expect(one.statusCode, `${d}: ${one.body}`).toBe(200);
      const filtered = await call(
        "POST",
        "/query",
        spec({ filters: [{ dimension: d, op: "is", value: "x" }] }),
      );
      expect(filtered.statusCode, d).toBe(200);
    }
    for (const op of meta.filterOps) {
      const res = await call(
        "POST",
        "/query",
        spec({ filters: [{ dimension: "page", op, value: "/" }] }),
      );
      expect(res.statusCode, op).toBe(200);
    }
    for (const { name, maxDays } of meta.granularities) {
      const from = "2026-01-01";
      const day = (n: number) =>
        new Date(Date.parse(from) + (n - 1) * 86_400_000).toISOString().slice(0, 10);
      expect(
        (await call("POST", "/query", spec({ granularity: name, from, to: day(maxDays) })))
          .statusCode,
        name,
      ).toBe(200);
      expect(
        (await call("POST", "/query", spec({ granularity: name, from, to: day(maxDays + 1) })))
          .statusCode,
        name,
      ).toBe(400);
    }
  });
});
