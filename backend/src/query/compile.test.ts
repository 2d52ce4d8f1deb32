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
  it("binds every value and takes identifiers only from the allowlists", () => {
    const q = compile(
      spec({
        dimensions: ["page", "prop:plan"],
        filters: [{ dimension: "country", op: "in", value: ["c-DE", "c-FR"] }],
        metrics: [{ name: "sum", property: "price", event: "purchase" }],
      }),
    );
    for (const value of ["a.test", "Europe/Berlin", "plan", "c-DE", "price", "purchase"]) {
      expect(q.sql).not.toContain(value);
    }
    expect(Object.values(q.params)).toEqual(
      expect.arrayContaining([["a.test"], "Europe/Berlin", "plan", ["c-DE", "c-FR"], "price"]),
    );
    expect(q.sql).toMatch(/^SELECT /);
    expect(q.columns.map((c) => c.name)).toEqual(["page", "prop:plan", "sum(price)"]);
  });

  it("reads human traffic unless bots are asked for", () => {
    const humans = compile(spec({ dimensions: ["page"] }));
    expect(humans.sql).toContain("FROM sightline.events\n");
    expect(humans.sql).toContain("is_bot = 0");
    const all = compile(spec({ dimensions: ["page"], includeBots: true }));
    expect(all.sql).toContain("sightline.events_with_bots");
    expect(all.sql).not.toContain("is_bot = 0");
  });

  it("derives sessions and collapses duplicates only when a metric needs it", () => {
    expect(compile(spec()).sql).not.toMatch(/session_no|FINAL/);
    const sessions = compile(spec({ metrics: ["bounce_rate"], tz: "Asia/Kolkata" }));
    expect(sessions.sql).toContain("session_no");
    expect(sessions.sql).toContain("s_pageviews");
    expect(sessions.sql).not.toContain("s_entry");
    expect(compile(spec({ dimensions: ["entry_page"] })).sql).toContain("s_entry");
    expect(compile(spec({ metrics: ["revenue"] })).sql).toContain("FINAL");
  });

  it("unfolds sessions, not events, for ungrouped and unfiltered session metrics", () => {
    // A half-hour zone keeps this on raw events (visitor_slots needs whole-hour ranges).
    const totals = compile(
      spec({ metrics: ["sessions", "session_duration"], tz: "Asia/Kolkata" }),
    ).sql;
    expect(totals).toContain("ARRAY JOIN arrayEnumerate(sessions) AS session_no");
    expect(totals).not.toContain("ARRAY JOIN evs");
    // Counts beside them, a grouping or a filter need the event rows back.
    for (const other of [
      spec({ metrics: ["sessions", "visitors"] }),
      spec({ metrics: ["sessions"], dimensions: ["page"] }),
      spec({ metrics: ["sessions"], filters: [{ dimension: "country", op: "is", value: "DE" }] }),
    ]) {
      expect(compile(other).sql).toContain("ARRAY JOIN evs");
    }
  });

  it("reads the hourly rollup only when it can answer exactly", () => {
    const rollup = spec({ metrics: ["events", "pageviews", "visitors"], dimensions: ["event"] });
    expect(compile(rollup).source.name).toBe("events_hourly");
    expect(compile(rollup).sql).toContain("uniqExactMerge(visitors)");
    expect(compile(rollup).sql).not.toContain("is_bot");
    expect(compile({ ...rollup, granularity: "hour" }).source.name).toBe("events_hourly");
    // Half-hour zones, bots, minute buckets, other columns and other metrics need raw events.
    for (const raw of [
      { ...rollup, tz: "Asia/Kolkata" },
      { ...rollup, includeBots: true },
      { ...rollup, to: "2026-03-02", granularity: "minute" as const },
      { ...rollup, dimensions: ["page"] },
      { ...rollup, filters: [{ dimension: "country", op: "is" as const, value: "DE" }] },
      { ...rollup, metrics: ["bounce_rate" as const] },
    ]) {
      expect(compile(raw).source.name).toBe("events");
    }
  });

  it("reads session totals from visitor_slots only when it can answer exactly", () => {
    const totals = spec({
      metrics: ["sessions", "bounce_rate", "views_per_session", "session_duration"],
    });
    const q = compile(totals);
    expect(q.source.name).toBe("visitor_slots");
    expect(q.sql).toContain("sightline.visitor_slots FINAL");
    expect(q.sql).not.toMatch(/is_bot|sightline\.events\b/);
    // Half-hour zones, bots, groupings, filters, time buckets and event counts need raw events.
    for (const raw of [
      { ...totals, tz: "Asia/Kolkata" },
      { ...totals, includeBots: true },
      { ...totals, dimensions: ["page"] },
      { ...totals, granularity: "day" as const },
      { ...totals, filters: [{ dimension: "country", op: "is" as const, value: "DE" }] },
      { ...totals, metrics: ["sessions" as const, "visitors" as const] },
    ]) {
      expect(compile(raw).source.name).toBe("events");
    }
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
