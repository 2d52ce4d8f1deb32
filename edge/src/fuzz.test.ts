import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CollectDeps, type CollectInput, collect } from "./collect.ts";
import { LIMITS } from "./limits.ts";
import { eventRowSchema } from "./row-schema.ts";

// Property-based tests: whatever the body, collect() answers (never throws), with the right
// status, and only valid events ever become rows.

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0, 0);
const deps: CollectDeps = {
  salts: { saltFor: async (day) => `salt-${day}` },
  sites: { get: (id) => (id === "example.com" ? { id, domains: ["example.com"] } : undefined) },
};
const input = (body: string): CollectInput => ({
  body,
  ip: "203.0.113.9",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
  origin: null,
  now: NOW,
});
const RUNS = { numRuns: 300 };

const unicode = fc.string({ unit: "grapheme", maxLength: 80 });
const propValue = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 100 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
);
/** Events the wire format accepts, with unicode wherever text goes. */
const goodEvent = fc.record(
  {
    i: fc.stringMatching(/^good-[a-z0-9]{4,40}$/),
    n: fc.stringMatching(/^[\w.:-]{1,64}$/),
    t: fc.integer({ min: NOW - 3_600_000, max: NOW }),
    u: fc
      .tuple(fc.webPath(), unicode)
      .map(([path, text]) => `https://example.com${path}?utm_source=${encodeURIComponent(text)}`),
    r: fc.webUrl(),
    v: fc.string({ minLength: 1, maxLength: 64 }),
    l: fc.string({ maxLength: 35 }),
    p: fc.dictionary(
      fc
        .string({ unit: "grapheme", minLength: 1, maxLength: 20 })
        .filter((k) => ![...k].some((ch) => (ch.codePointAt(0) ?? 0) < 0x20 || ch === "\u007f")),
      propValue,
      { maxKeys: 10 },
    ),
  },
  { requiredKeys: ["i", "n", "t", "u"] },
);
/** Events with one field of the wrong type or out of range; none of these values fits its key. */
const badEvent = fc
  .tuple(
    goodEvent,
    fc.constantFrom("i", "n", "t", "u", "v", "p", "m", "em", "sd", "h", "zz"),
    fc.oneof(
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.constant(-1),
      fc.constant(""),
      fc.constant("x".repeat(3000)),
      fc.constant(1.5),
      fc.constant(true),
    ),
  )
  .map(([event, key, value]) => ({ ...event, [key]: value }));

function expectRowsValid(rows: unknown[]) {
  for (const row of rows) expect(eventRowSchema.safeParse(row).success).toBe(true);
}

describe("collect under fuzzing", () => {
  it("answers arbitrary unicode text with a 4xx and no rows, never a throw", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "grapheme", maxLength: 500 }), async (body) => {
        const result = await collect(input(body), deps);
        if (!result.ok) expect([400, 403, 413]).toContain(result.status);
        else expectRowsValid(result.rows);
      }),
      RUNS,
    );
  });

  it("answers arbitrary JSON values (wrong types at the top) with 400", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => {
        const result = await collect(input(JSON.stringify(value)), deps);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.status).toBe(400);
      }),
      RUNS,
    );
  });

  it("answers every truncation of a valid body with 400 MALFORMED_BODY", async () => {
    await fc.assert(
      fc.asyncProperty(goodEvent, fc.double({ min: 0, max: 1, noNaN: true }), async (e, cut) => {
        const body = JSON.stringify({ s: "example.com", e: [e] });
        const truncated = body.slice(0, Math.floor(cut * (body.length - 1)));
        const result = await collect(input(truncated), deps);
        expect(result).toMatchObject({ ok: false, status: 400, code: "MALFORMED_BODY" });
      }),
      RUNS,
    );
  });

  it("answers oversized bodies with 413, counting bytes not characters", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4096 }),
        fc.constantFrom("x", "é", "😀"),
        async (extra, char) => {
          const bytes = new TextEncoder().encode(char).byteLength;
          const body = char.repeat(Math.ceil((LIMITS.bodyBytes + extra) / bytes));
          const result = await collect(input(body), deps);
          expect(result).toMatchObject({ ok: false, status: 413 });
        },
      ),
      { numRuns: 50 },
    );
  });

  it("answers deep nesting with 400 before parsing it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: LIMITS.maxDepth + 1, max: 5000 }),
        fc.constantFrom("[", '{"a":'),
        async (depth, open) => {
          const close = open === "[" ? "]" : "}";
          const body = `{"s":"example.com","e":${open.repeat(depth)}1${close.repeat(depth)}}`;
          if (body.length > LIMITS.bodyBytes) return;
          const result = await collect(input(body), deps);
          expect(result).toMatchObject({ ok: false, status: 400, code: "TOO_DEEP" });
        },
      ),
      { numRuns: 100 },
    );
  });

  it("keeps exactly the good events of mixed batches; bad ones are counted, never rows", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            goodEvent.map((e) => ({ e, good: true })),
            badEvent.map((e) => ({ e, good: false })),
          ),
          { minLength: 1, maxLength: LIMITS.eventsPerBatch },
        ),
        async (tagged) => {
          const events = tagged.map((t) => t.e);
          const result = await collect(
            input(JSON.stringify({ s: "example.com", e: events })),
            deps,
          );
          const good = tagged.filter((t) => t.good).map((t) => t.e);
          if (!result.ok) {
            expect(result.status).toBe(400);
            expect(good).toHaveLength(0);
            return;
          }
          expect(result.rows.map((r) => r.event_id)).toEqual(good.map((e) => e.i));
          const rejected = Object.values(result.rejected).reduce((a, b) => a + b, 0);
          expect(rejected).toBe(events.length - good.length);
          expectRowsValid(result.rows);
          for (const row of result.rows) expect(JSON.stringify(row)).not.toContain("203.0.113.9");
        },
      ),
      { numRuns: 200 },
    );
  });
});
