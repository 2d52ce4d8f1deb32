import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CollectDeps, collect } from "./collect.ts";
import { jsonString, ndjsonLines } from "./ndjson.ts";
import type { EventRow } from "./row.ts";

const viaStringify = (rows: readonly unknown[]) =>
  rows.map((row) => `${JSON.stringify(row)}\n`).join("");

/** A row with its keys in the order collect() writes them. */
function collectOrder(row: EventRow): EventRow {
  const { device, is_bot, language, props, ...head } = row;
  const {
    revenue,
    currency,
    engaged_ms,
    scroll_depth,
    tracker_version,
    ...front
  }: Omit<EventRow, "device" | "is_bot" | "language" | "props"> = head;
  return {
    ...front,
    device,
    is_bot,
    language,
    props,
    revenue,
    currency,
    engaged_ms,
    scroll_depth,
    tracker_version,
  };
}

// Lone surrogates, quotes, backslashes and controls: everything JSON.stringify escapes.
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 90 }),
  fc.constantFrom("", "pageview", 'say "hi"', "back\\slash", "tab\there", "\u2028", "é😀"),
  fc.constantFrom("\ud800", "a\udfffb", "\ud83d", "😀\ude00"),
);
const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));

const anyRow: fc.Arbitrary<EventRow> = fc
  .record({
    event_id: text,
    site_id: text,
    ts: text,
    received_at: text,
    client_ts: text,
    name: text,
    visitor_id: text,
    session_id: text,
    user_id: text,
    hostname: text,
    pathname: text,
    query: text,
    referrer: text,
    referrer_domain: text,
    channel: text,
    utm_source: text,
    utm_medium: text,
    utm_campaign: text,
    utm_term: text,
    utm_content: text,
    country: text,
    region: text,
    city: text,
    browser: text,
    browser_version: text,
    os: text,
    os_version: text,
    device: fc.constantFrom("desktop", "mobile", "tablet", "bot"),
    language: text,
    is_bot: fc.constantFrom(0 as const, 1 as const),
    props: fc.dictionary(text, text, { maxKeys: 4 }),
    revenue: number,
    currency: text,
    engaged_ms: number,
    scroll_depth: number,
    tracker_version: text,
  })
  .map(collectOrder);

/** Batches whose rows repeat their neighbours' values, as the rows of one request do. */
const batch = fc
  .tuple(
    anyRow,
    fc.array(fc.tuple(anyRow, fc.array(fc.boolean(), { minLength: 35, maxLength: 35 }))),
  )
  .map(([first, rest]) => {
    const rows = [first];
    for (const [next, keep] of rest) {
      const previous = rows[rows.length - 1] as EventRow;
      const mixed = { ...next } as Record<string, unknown>;
      Object.keys(mixed).forEach((key, i) => {
        if (keep[i]) mixed[key] = (previous as unknown as Record<string, unknown>)[key];
      });
      rows.push(mixed as unknown as EventRow);
    }
    return rows;
  });

describe("jsonString", () => {
  it("writes what JSON.stringify writes for any string", () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(jsonString(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("ndjsonLines", () => {
  it("writes every row as JSON.stringify does, one line each", () => {
    fc.assert(
      fc.property(batch, (rows) => {
        expect(ndjsonLines(rows)).toBe(viaStringify(rows));
      }),
      { numRuns: 500 },
    );
  });

  it("writes each call's rows as JSON.stringify does, whatever the calls before wrote", () => {
    fc.assert(
      fc.property(batch, (rows) => {
        for (const row of rows) expect(ndjsonLines([row])).toBe(viaStringify([row]));
      }),
      { numRuns: 300 },
    );
  });

  it("is not misled by a row object changed after an earlier call wrote it", () => {
    const row = collectOrder(fc.sample(anyRow, { numRuns: 1, seed: 11 })[0] as EventRow);
    const copy = { ...row };
    ndjsonLines([row]);
    row.pathname = `${row.pathname}/changed`;
    row.country = `${row.country}!`;
    // Same values as the changed row, so only a stale comparison would reuse the old runs.
    const next = { ...row, event_id: "other" };
    expect(ndjsonLines([next])).toBe(viaStringify([next]));
    expect(ndjsonLines([copy])).toBe(viaStringify([copy]));
  });

  it("writes nothing for no rows", () => {
    expect(ndjsonLines([])).toBe("");
  });

  it("writes the rows of collect() byte for byte as JSON.stringify", async () => {
    const now = Date.UTC(2026, 10, 23, 12, 0, 0, 0);
    const deps: CollectDeps = {
      salts: { saltFor: async (day) => `salt-${day}` },
      sites: { get: (id) => ({ id, domains: ["example.com"] }) },
    };
    const events = [
      { u: "https://example.com/a?utm_source=news", r: "https://www.google.com/", a: 1 },
      { u: "https://example.com/a?utm_source=news", r: "https://www.google.com/" },
      { u: "https://example.com/b", p: { q: 'say "hi"', n: 3, ok: true, s: "\ud800 é😀" } },
      { u: "https://example.com/b", m: { a: 9.5, c: "EUR" }, em: 1200, sd: 75, l: "fr" },
    ].map((e, i) => ({ i: `event-00${i}`, n: "pageview", t: now - i * 1000, v: "v1", ...e }));
    const result = await collect(
      {
        body: JSON.stringify({ s: "example.com", sv: "3", e: events }),
        ip: "203.0.113.9",
        userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
        origin: null,
        now,
      },
      deps,
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.rows).toHaveLength(4);
    expect(ndjsonLines(result.rows)).toBe(viaStringify(result.rows));
  });

  it("writes a row holding values outside the row type as JSON.stringify, rows around it too", () => {
    const good = collectOrder(fc.sample(anyRow, { numRuns: 1, seed: 7 })[0] as EventRow);
    const odd = [
      { ...good, revenue: Number.NaN },
      { ...good, engaged_ms: Number.POSITIVE_INFINITY },
      { ...good, city: undefined },
      { ...good, region: 5 },
      { ...good, props: undefined },
    ] as unknown as EventRow[];
    for (const row of odd) {
      const rows = [good, row, good];
      expect(ndjsonLines(rows)).toBe(viaStringify(rows));
    }
  });
});
