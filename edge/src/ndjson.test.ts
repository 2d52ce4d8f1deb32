import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CollectDeps, collect } from "./collect.ts";
import { COLUMNS, type ColumnName } from "./columns.ts";
import { jsonWriterFor } from "./json-values.ts";
import {
  BOT_LINE_MARKER,
  BOT_LINE_MARKER_TEXT,
  isBotLine,
  jsonString,
  ndjsonLines,
} from "./ndjson.ts";
import { EVENT_COLUMNS, type EventRow } from "./row.ts";

/** The row with the table's columns in its order: what a line must hold. */
function inColumnOrder(row: unknown): Record<string, unknown> {
  const r = row as Record<string, unknown>;
  return Object.fromEntries(EVENT_COLUMNS.map((name) => [name, r[name]]));
}

const viaStringify = (rows: readonly unknown[]) =>
  rows.map((row) => `${JSON.stringify(inColumnOrder(row))}\n`).join("");

// Lone surrogates, quotes, backslashes and controls: everything JSON.stringify escapes.
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 90 }),
  fc.constantFrom("", "pageview", 'say "hi"', "back\\slash", "tab\there", "\u2028", "é😀"),
  fc.constantFrom("\ud800", "a\udfffb", "\ud83d", "😀\ude00"),
  fc.constantFrom('"is_bot":1,"props":', '\\"is_bot\\":1'),
);
const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));

/** A value for each column, of its JSON form; is_bot is 0 or 1. */
function valueFor(name: ColumnName): fc.Arbitrary<unknown> {
  if (name === "is_bot") return fc.constantFrom(0, 1);
  const writer = jsonWriterFor(COLUMNS[name].clickhouse);
  if (writer === "numberValue") return number;
  if (writer === "objectValue") return fc.dictionary(text, text, { maxKeys: 4 });
  return text;
}

/** Any row of the column table, its keys in any order (the line's order must not follow them). */
const anyRow: fc.Arbitrary<EventRow> = fc
  .tuple(
    fc.record(
      Object.fromEntries(EVENT_COLUMNS.map((name) => [name, valueFor(name)])) as {
        [K in ColumnName]: fc.Arbitrary<unknown>;
      },
    ),
    fc.shuffledSubarray([...EVENT_COLUMNS], { minLength: EVENT_COLUMNS.length }),
  )
  .map(
    ([values, order]) =>
      Object.fromEntries(order.map((name) => [name, values[name]])) as unknown as EventRow,
  );

/** Batches whose rows repeat their neighbours' values, as the rows of one request do. */
const batch = fc
  .tuple(
    anyRow,
    fc.array(
      fc.tuple(
        anyRow,
        fc.array(fc.boolean(), {
          minLength: EVENT_COLUMNS.length,
          maxLength: EVENT_COLUMNS.length,
        }),
      ),
    ),
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

describe("the bot line marker", () => {
  it("is in a line exactly when its row is a bot's, whatever its values hold", () => {
    fc.assert(
      fc.property(batch, (rows) => {
        const lines = ndjsonLines(rows).split("\n").slice(0, -1);
        expect(lines).toHaveLength(rows.length);
        for (const [i, line] of lines.entries()) {
          const bot = rows[i]?.is_bot === 1;
          expect(isBotLine(line)).toBe(bot);
        }
      }),
      { numRuns: 300 },
    );
    expect(BOT_LINE_MARKER).toEqual(new TextEncoder().encode(BOT_LINE_MARKER_TEXT));
  });
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
    const row = fc.sample(anyRow, { numRuns: 1, seed: 11 })[0] as EventRow;
    const copy = { ...row };
    ndjsonLines([row]);
    row.pathname = `${row.pathname}/changed`;
    row.country = `${row.country}!`;
    // Same values as the changed row, so only a stale comparison would reuse the old runs.
    const next = { ...row, event_id: "other" };
    expect(ndjsonLines([next])).toBe(viaStringify([next]));
    expect(ndjsonLines([copy])).toBe(viaStringify([copy]));
  });

  it("writes exactly the table's columns, in its order", () => {
    const lines = ndjsonLines(fc.sample(anyRow, { numRuns: 50, seed: 3 })).split("\n");
    for (const line of lines.slice(0, -1)) {
      expect(Object.keys(JSON.parse(line))).toEqual([...EVENT_COLUMNS]);
    }
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
    const good = fc.sample(anyRow, { numRuns: 1, seed: 7 })[0] as EventRow;
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
