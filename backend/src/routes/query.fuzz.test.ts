import type { QueryParams } from "@sightline/config";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIMENSIONS } from "../query/allowlist.ts";
import { dataset } from "../query/fixture.ts";
import { adminEnv, login, testStack } from "../testing/stack.ts";

/**
 * SQL-safety fuzz: hostile specs through the real API and the real embedded ClickHouse. Every
 * SQL text that reaches ClickHouse is captured; it must be one read statement holding no client
 * text (client values travel only as bound parameters), and no answer may echo SQL.
 */

let stack: Awaited<ReturnType<typeof testStack>>;
let auth: { authorization: string };
const seen: { sql: string; params: QueryParams }[] = [];
const writes: string[] = [];

beforeAll(async () => {
  stack = await testStack(adminEnv());
  auth = { authorization: `Bearer ${await login(stack)}` };
  await stack.app.inject({
    method: "POST",
    url: "/api/v1/sites",
    headers: auth,
    payload: { id: "a.test", domains: ["a.test"] },
  });
  await stack.ch.client.insert({
    table: "sightline.events",
    values: dataset(3),
    format: "JSONEachRow",
  });
  // The app holds this very object: wrap its read paths to capture SQL, and its write client
  // to prove nothing goes that way.
  const { read, stream } = stack.ch;
  stack.ch.read = <T>(sql: string, params: QueryParams = {}) => {
    seen.push({ sql, params });
    return read<T>(sql, params);
  };
  stack.ch.stream = <T>(sql: string, params: QueryParams = {}) => {
    seen.push({ sql, params });
    return stream<T>(sql, params);
  };
  const client = stack.ch.client as unknown as Record<string, unknown>;
  for (const method of ["query", "command", "exec", "insert"]) {
    client[method] = async () => {
      writes.push(method);
      throw new Error("the write client must not be used by reports");
    };
  }
});
afterAll(() => stack.close());

const NASTY = [
  "' OR 1=1 --",
  "'; DROP TABLE sightline.events; --",
  "x'); ALTER TABLE sightline.events DELETE WHERE 1; --",
  "/* comment */ SELECT 1",
  "pathname) OR (1=1",
  "{p0:String}",
  "}{p1:UInt32}",
  "`name`",
  '"quoted"',
  "\\' escaped",
  "\u0000nul",
  "😀 emoji",
  "\u202eRTL",
  "SELECT * FROM system.users; SELECT 1",
  "INSERT INTO sightline.events VALUES",
  "prop:x') OR 1=1 --",
  "a".repeat(2000),
];

const hostile = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom(...NASTY).chain((n) => fc.string({ maxLength: 8 }).map((s) => `${s}${n}${s}`)),
);
const hugeNumber = fc.oneof(
  fc.constantFrom(1e308, -1, 0, 2 ** 53, 2 ** 64, -(2 ** 63), 1.5, 4_294_967_296),
  fc.integer(),
  fc.double({ noNaN: true }),
);
const dimension = fc.oneof(
  fc.constantFrom(...Object.keys(DIMENSIONS)),
  hostile,
  hostile.map((s) => `prop:${s}`),
);
const op = fc.oneof(
  fc.constantFrom("is", "is_not", "contains", "not_contains", "matches", "in"),
  hostile,
);
const value = fc.oneof(hostile, fc.array(hostile, { minLength: 1, maxLength: 3 }), hugeNumber);
const condition = fc.record({ dimension, op, value });
const filter = fc.oneof(
  condition,
  fc.record({ and: fc.array(condition, { minLength: 1, maxLength: 3 }) }),
  fc.record({
    or: fc.array(fc.oneof(condition, fc.record({ and: fc.array(condition, { maxLength: 2 }) })), {
      maxLength: 3,
    }),
  }),
);
const metric = fc.oneof(
  fc.constantFrom("events", "visitors", "sessions", "bounce_rate", "revenue", "engaged_time"),
  hostile,
  fc.record(
    {
      name: fc.oneof(
        fc.constantFrom("conversions", "conversion_rate", "sum", "quantile", "max"),
        hostile,
      ),
      goal: fc.oneof(fc.record({ page: hostile }), fc.record({ event: hostile })),
      property: hostile,
      q: hugeNumber,
      event: hostile,
      label: hostile,
    },
    { requiredKeys: ["name"] },
  ),
);
const day = fc.oneof(
  fc.constantFrom("2026-03-01", "2026-03-09", "2026-10-31", "2026-02-30", "9999-12-31"),
  hostile,
);
const spec = fc.record(
  {
    sites: fc.oneof(fc.constant(["a.test"]), fc.array(hostile, { maxLength: 2 })),
    from: day,
    to: day,
    tz: fc.oneof(fc.constantFrom("UTC", "Europe/Berlin", "Asia/Kolkata"), hostile),
    granularity: fc.oneof(fc.constantFrom("hour", "day", "week", "month"), hostile),
    metrics: fc.array(metric, { minLength: 1, maxLength: 3 }),
    dimensions: fc.array(dimension, { maxLength: 2 }),
    filters: fc.array(filter, { maxLength: 3 }),
    sort: fc.array(fc.record({ by: hostile, dir: fc.oneof(fc.constant("asc"), hostile) }), {
      maxLength: 1,
    }),
    limit: hugeNumber,
    compare: fc.oneof(fc.constantFrom("previous_period", "year_earlier"), hostile),
    includeBots: fc.oneof(fc.boolean(), hostile),
  },
  { requiredKeys: ["sites", "from", "to", "metrics"] },
);
const withUnknownField = fc
  .tuple(spec, fc.option(fc.tuple(hostile, hostile)))
  .map(([s, extra]) => (extra ? { ...s, [extra[0] || "x"]: extra[1] } : s));

// Valid in shape, hostile in every free-text place: these pass the schema and reach ClickHouse.
const text = hostile.filter((s) => s.length >= 1 && s.length <= 60);
const validDimension = fc.oneof(
  fc.constantFrom("page", "country", "event", "entry_page", "channel"),
  text.map((s) => `prop:${s}`),
);
const validCondition = fc.oneof(
  fc.record({
    dimension: validDimension,
    op: fc.constantFrom("is", "is_not", "contains", "not_contains", "matches"),
    value: text,
  }),
  fc.record({
    dimension: validDimension,
    op: fc.constant("in"),
    value: fc.array(text, { minLength: 1, maxLength: 3 }),
  }),
);
const validSpec = fc.record(
  {
    sites: fc.constant(["a.test"]),
    from: fc.constant("2026-03-01"),
    to: fc.constantFrom("2026-03-09", "2026-10-31"),
    tz: fc.constantFrom("UTC", "Europe/Berlin", "Asia/Kolkata", "America/New_York"),
    granularity: fc.constantFrom("day", "week", "month"),
    metrics: fc.array(
      fc.oneof(
        fc.constantFrom("events", "visitors", "sessions", "bounce_rate", "revenue"),
        fc.record({ name: fc.constant("conversions"), goal: fc.record({ page: text }) }),
        fc.record({ name: fc.constantFrom("sum", "max"), property: text, label: text }),
        fc.record({
          name: fc.constant("quantile"),
          property: text,
          q: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
    dimensions: fc.array(validDimension, { maxLength: 2 }),
    filters: fc.array(
      fc.oneof(
        validCondition,
        fc.record({ or: fc.array(validCondition, { minLength: 1, maxLength: 3 }) }),
      ),
      { maxLength: 3 },
    ),
    limit: fc.integer({ min: 1, max: 10_000 }),
    compare: fc.constantFrom("previous_period", "year_earlier"),
  },
  { requiredKeys: ["sites", "from", "to", "metrics"] },
);
const anySpec = fc.oneof(
  { weight: 3, arbitrary: validSpec },
  { weight: 1, arbitrary: withUnknownField },
);

/** Every string in a value, recursively (object keys included). */
function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === "object") {
    return Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)]);
  }
  return [];
}

const ALLOWED = new Set([
  ...Object.keys(DIMENSIONS),
  ...["sites", "from", "to", "tz", "metrics", "dimensions", "filters", "sort", "limit"],
  ...["granularity", "compare", "includeBots", "name", "goal", "page", "event", "property"],
  // Metric names also name SQL functions and columns (quantileIf, revenue, sessions).
  ...["events", "visitors", "sessions", "bounce_rate", "revenue", "engaged_time", "quantile"],
  ...["conversions", "conversion_rate"],
  // Field names of the report bodies.
  ...["window", "steps", "direction", "period", "state", "filters"],
]);

/**
 * Whether client text stands in the SQL. A bare word (`toString`) is also the name of functions
 * we call and part of longer names we use (`toDateTime64`), so for words only a whole word that is
 * not a function call counts; any other text counts wherever it appears.
 */
function leaks(sql: string, s: string): boolean {
  if (!/^\w+$/.test(s)) return sql.includes(s);
  return new RegExp(`\\b${s}\\b(?!\\()`).test(sql);
}

function checkSql(sent: unknown, captured: { sql: string; params: QueryParams }[]) {
  // A bare placeholder string looks exactly like our own placeholders; every other string must
  // be absent, placeholders included when they come with any surrounding text.
  const clientText = strings(sent).filter(
    (s) => s.length >= 6 && !ALLOWED.has(s) && !/^\}?\{p\d+:\w+\}$/.test(s),
  );
  for (const { sql, params } of captured) {
    expect(sql.trimStart()).toMatch(/^(SELECT|WITH)\s/);
    // One statement, no comments: our SQL never holds these, so no client text put them there.
    expect(sql).not.toMatch(/;|--|\/\*/);
    for (const s of clientText) expect(leaks(sql, s), `client text in SQL: ${s}`).toBe(false);
    // Every brace in the SQL is one of our placeholders, naming a parameter that was bound.
    const braces = sql.match(/[{}]/g)?.length ?? 0;
    const placeholders = [
      ...sql.matchAll(/\{(p\d+):(String|Array\(String\)|UInt32|UInt64|Float64)\}/g),
    ];
    expect(braces).toBe(placeholders.length * 2);
    for (const [, name] of placeholders) expect(Object.hasOwn(params, name as string)).toBe(true);
  }
}

function checkAnswer(sent: unknown, status: number, body: string, captured: { sql: string }[]) {
  expect(status).not.toBe(500);
  if (status >= 400) {
    let message = String((JSON.parse(body) as { message?: string }).message);
    // A message may quote the client's own text back (naming what was wrong); what is left
    // must hold nothing of ours.
    for (const s of strings(sent).sort((a, b) => b.length - a.length)) {
      if (s) message = message.split(s).join("").split(JSON.stringify(s).slice(1, -1)).join("");
    }
    expect(message).not.toMatch(/SELECT|FROM |sightline\.events|\{p\d+:|uniqExact|WHERE/);
    for (const { sql } of captured) expect(message.includes(sql.slice(0, 40))).toBe(false);
  }
}

describe("SQL safety under hostile specs (fast-check)", () => {
  it("POST /query: one read statement, client text only in bound parameters, no SQL echoed", async () => {
    await fc.assert(
      fc.asyncProperty(anySpec, async (body) => {
        const before = seen.length;
        const res = await stack.app.inject({
          method: "POST",
          url: "/api/v1/query",
          headers: auth,
          payload: body,
        });
        const captured = seen.slice(before);
        checkSql(body, captured);
        checkAnswer(body, res.statusCode, res.body, captured);
        if (res.statusCode === 200) {
          // Filter values that reached ClickHouse did so as parameters.
          const values = captured.flatMap(({ params }) => Object.values(params).flat().map(String));
          for (const f of (body as { filters?: { value?: unknown }[] }).filters ?? []) {
            if (typeof f.value === "string") expect(values).toContain(f.value);
          }
        }
      }),
      // Shrinking cuts hostile strings into our own SQL words ("String"); report the real case.
      { numRuns: 250, endOnFailure: true },
    );
    expect(writes).toEqual([]);
    // The fuzz did reach ClickHouse, with valid and invalid specs alike.
    expect(seen.length).toBeGreaterThan(100);
  });

  it("reports and exports: the same guarantees", async () => {
    const before = seen.length;
    const okDay = fc.oneof(
      { weight: 4, arbitrary: fc.constant("2026-03-08") },
      { weight: 1, arbitrary: day },
    );
    const report = fc.oneof(
      fc.record({
        url: fc.constant("/api/v1/reports/funnel"),
        body: fc.record({
          sites: fc.constant(["a.test"]),
          from: okDay,
          to: okDay,
          steps: fc.array(fc.oneof(fc.record({ page: hostile }), fc.record({ event: hostile })), {
            minLength: 1,
            maxLength: 3,
          }),
          window: fc.oneof(fc.integer({ min: 1, max: 86_400 }), hugeNumber),
          filters: fc.array(fc.oneof(validCondition, filter), { maxLength: 2 }),
        }),
      }),
      fc.record({
        url: fc.constant("/api/v1/reports/journeys"),
        body: fc.record({
          sites: fc.constant(["a.test"]),
          from: okDay,
          to: okDay,
          page: hostile,
          direction: fc.oneof(fc.constantFrom("after", "before"), hostile),
          steps: fc.oneof(fc.integer({ min: 1, max: 5 }), hugeNumber),
        }),
      }),
      fc.record({
        url: fc.constantFrom(
          "/api/v1/reports/events",
          "/api/v1/reports/errors",
          "/api/v1/reports/retention",
          "/api/v1/reports/web-vitals",
          "/api/v1/reports/overview",
        ),
        body: fc.record({
          sites: fc.constant(["a.test"]),
          from: okDay,
          to: okDay,
          tz: fc.oneof(fc.constant("UTC"), hostile),
          filters: fc.array(fc.oneof(validCondition, filter), { maxLength: 2 }),
        }),
      }),
      fc.record({
        url: fc.constant("/api/v1/reports/realtime"),
        body: fc.record(
          {
            sites: fc.constant(["a.test"]),
            includeBots: fc.boolean(),
            filters: fc.array(fc.oneof(validCondition, filter), { maxLength: 2 }),
          },
          { requiredKeys: ["sites"] },
        ),
      }),
      fc.record({
        url: fc.constantFrom(
          "/api/v1/query/export?format=csv",
          "/api/v1/query/export?format=ndjson",
        ),
        body: anySpec,
      }),
    );
    await fc.assert(
      fc.asyncProperty(report, async ({ url, body }) => {
        const before = seen.length;
        const res = await stack.app.inject({ method: "POST", url, headers: auth, payload: body });
        const captured = seen.slice(before);
        checkSql(body, captured);
        checkAnswer(body, res.statusCode, res.body, captured);
      }),
      { numRuns: 150, endOnFailure: true },
    );
    expect(writes).toEqual([]);
    expect(seen.length - before).toBeGreaterThan(30);
  });
});
