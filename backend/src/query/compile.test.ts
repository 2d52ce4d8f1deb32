import { describe, expect, it } from "vitest";
import type { QuerySpec } from "../schemas/query.ts";
import { compileQuery } from "./compile.ts";
import { csvField } from "./export.ts";
import { comparisonRange, resolveRange } from "./time.ts";

const spec = (extra: Partial<QuerySpec> = {}): QuerySpec => ({
  sites: ["a.test"],
  from: "2026-03-01",
  to: "2026-03-31",
  tz: "Europe/Berlin",
  metrics: ["visitors"],
  ...extra,
});
const compile = (s: QuerySpec) => compileQuery(s, resolveRange(s, s.granularity));

describe("compileQuery", () => {
  it("binds every client value and takes identifiers only from the allowlists", () => {
    const q = compile(
      spec({
        dimensions: ["page", "prop:plan"],
        filters: [{ dimension: "country", op: "in", value: ["c-DE", "c-FR"] }],
        metrics: [{ name: "sum", property: "price", event: "purchase" }],
      }),
    );
    for (const value of ["plan", "c-DE", "price", "purchase"]) {
      expect(q.sql).not.toContain(value);
    }
    expect(Object.values(q.params)).toEqual(
      expect.arrayContaining(["plan", ["c-DE", "c-FR"], "price", "purchase"]),
    );
    // Site ids and zones are checked against our lists first, and may stand as literals.
    expect(q.sql).toContain("['a.test']");
    expect(q.sql).toMatch(/^SELECT /);
    expect(q.columns.map((c) => c.name)).toEqual(["page", "prop:plan", "sum(price)"]);
  });

  it("reads human traffic unless bots are asked for", () => {
    const humans = compile(spec({ dimensions: ["prop:plan"] }));
    expect(humans.sql).toContain("FROM sightline.events\n");
    expect(humans.sql).toContain("is_bot = 0");
    const all = compile(spec({ dimensions: ["page"], includeBots: true }));
    expect(all.sql).toContain("sightline.events_with_bots");
    expect(all.sql).not.toContain("is_bot = 0");
    expect(all.sources).toEqual(["events"]);
  });

  it("binds nothing but client text, so reports without any run beside each other", () => {
    const plain = compile(
      spec({ granularity: "day", dimensions: ["page"], metrics: ["visitors", "bounce_rate"] }),
    );
    expect(plain.params).toEqual({});
    expect(plain.sql).toContain("makeDateTime64(2026, 3, 1, 0, 0, 0, 0, 3, 'Europe/Berlin')");
    expect(plain.sql).toContain("site_id IN ['a.test']");
    // A site id or zone that does not look like one is bound like any client text.
    const odd = compile(spec({ sites: ["A'B"], tz: "Europe/Berlin" }));
    expect(Object.values(odd.params)).toContainEqual(["A'B"]);
    expect(odd.sql).not.toContain("A'B");
  });

  it("reads event metrics from the smallest rollup that has every column they need", () => {
    const sourcesOf = (extra: Partial<QuerySpec>) => compile(spec(extra)).sources;
    expect(sourcesOf({ metrics: ["visitors", "pageviews", "events"] })).toEqual(["rollup_hourly"]);
    expect(sourcesOf({ granularity: "day", metrics: ["visitors"] })).toEqual(["rollup_hourly"]);
    expect(sourcesOf({ dimensions: ["event"], metrics: ["events", "visitors"] })).toEqual([
      "rollup_events",
    ]);
    expect(sourcesOf({ dimensions: ["country"], metrics: ["pageviews"] })).toEqual(["rollup_geo"]);
    expect(sourcesOf({ dimensions: ["browser"], metrics: ["visitors"] })).toEqual([
      "rollup_devices",
    ]);
    expect(sourcesOf({ dimensions: ["utm_campaign"], metrics: ["visitors"] })).toEqual([
      "rollup_sources",
    ]);
    expect(
      sourcesOf({ dimensions: ["page"], metrics: ["visitors", "engaged_time", "scroll_depth"] }),
    ).toEqual(["rollup_pages"]);
    // Goals: each from the rollup that knows it, beside the visitors of all.
    expect(
      sourcesOf({
        metrics: [
          "visitors",
          { name: "conversions", goal: { page: "/pricing" } },
          { name: "converted_visitors", goal: { event: "signup" } },
        ],
      }),
    ).toEqual(["rollup_hourly", "rollup_pages", "rollup_events"]);
    // Bots, minute buckets, properties, revenue, exact visitors and mixed columns: raw events.
    for (const raw of [
      { includeBots: true },
      { to: "2026-03-02", granularity: "minute" as const },
      { dimensions: ["prop:plan"] },
      { metrics: ["revenue" as const] },
      { exact: true },
      { dimensions: ["country"], filters: [{ dimension: "page", op: "is" as const, value: "/" }] },
    ]) {
      expect(sourcesOf(raw), JSON.stringify(raw)).toEqual(["events"]);
    }
    // Hour buckets of a zone 30 minutes off the hour never match rollup hours; days do.
    expect(sourcesOf({ tz: "Asia/Kolkata", granularity: "hour", to: "2026-03-02" })).toEqual([
      "events",
    ]);
    expect(sourcesOf({ tz: "Asia/Kolkata", granularity: "day" })).toEqual(["rollup_hourly"]);
  });

  it("reads session metrics from the sessions, joined with event metrics on the query's keys", () => {
    const both = compile(
      spec({ dimensions: ["channel"], metrics: ["visitors", "sessions", "bounce_rate"] }),
    );
    expect(both.sources).toEqual(["rollup_sources", "sessions"]);
    expect(both.sql).toContain("FULL OUTER JOIN");
    expect(both.sql).toContain("sightline.sessions FINAL");
    // Grouped by entry page, counts are of whole sessions too; other event metrics join events
    // to their sessions.
    expect(
      compile(spec({ dimensions: ["entry_page"], metrics: ["visitors", "pageviews", "sessions"] }))
        .sources,
    ).toEqual(["sessions"]);
    const engaged = compile(spec({ dimensions: ["exit_page"], metrics: ["engaged_time"] }));
    expect(engaged.sources).toEqual(["events"]);
    expect(engaged.sql).toContain("ASOF INNER JOIN");
    expect(() => compile(spec({ dimensions: ["currency"], metrics: ["sessions"] }))).toThrow(
      /session metrics cannot be grouped by "currency"/,
    );
  });

  it("names the field of a bad spec", () => {
    expect(() => compile(spec({ dimensions: ["page", "secret_column"] }))).toThrow(
      /body\/dimensions\/1: unknown dimension/,
    );
    expect(() => compile(spec({ metrics: [{ name: "avg" }] }))).toThrow(
      /body\/metrics\/0\/property/,
    );
    expect(() =>
      compile(spec({ filters: [{ or: [{ dimension: "nope", op: "is", value: "x" }] }] })),
    ).toThrow(/body\/filters\/0\/or\/0\/dimension/);
    expect(() =>
      resolveRange({ from: "2026-01-01", to: "2026-01-03", tz: "Nowhere/City" }),
    ).toThrow(/tz/);
    expect(() =>
      resolveRange({ from: "2026-01-01", to: "2026-02-01", tz: "UTC" }, "minute"),
    ).toThrow(/at most 2 days at minute/);
  });
});

describe("comparison periods", () => {
  const range = (from: string, to: string) => resolveRange({ from, to, tz: "UTC" });
  it("takes the same number of days right before", () => {
    const r = comparisonRange(range("2026-03-01", "2026-03-31"), "previous_period");
    expect([r.from, r.to, r.days]).toEqual(["2026-01-29", "2026-02-28", 31]);
  });
  it("takes the same dates a year earlier, 29 February becoming the 28th", () => {
    const r = comparisonRange(range("2028-02-29", "2028-03-01"), "year_earlier");
    expect([r.from, r.to]).toEqual(["2027-02-28", "2027-03-01"]);
  });
});

describe("CSV fields", () => {
  it("quotes separators and defuses spreadsheet formulas in text", () => {
    expect(csvField('a,"b"', true)).toBe('"a,""b"""');
    expect(csvField("=HYPERLINK(1)", true)).toBe("'=HYPERLINK(1)");
    expect(csvField(-3, false)).toBe("-3");
    expect(csvField(null, false)).toBe("");
  });
});
