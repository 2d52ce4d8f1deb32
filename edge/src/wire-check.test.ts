import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LIMITS } from "./limits.ts";
import { wireBatchSchema, wireEventSchema } from "./schema.ts";
import { quickWireBatch, quickWireEvent } from "./wire-check.ts";

// Values near every limit, of every JSON type, so the fast path is probed on both sides of each.
const anyValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 7, maxLength: 9 }),
  fc.constantFrom(
    "",
    "pageview",
    "bad name",
    "EUR",
    "eur",
    "x".repeat(LIMITS.idLength),
    "x".repeat(LIMITS.idLength + 1),
    "y".repeat(LIMITS.propValueLength + 1),
    "k\u0001",
    "__proto__",
  ),
  fc.integer(),
  fc.constantFrom(0, -0, 1, 2, 100, 101, 86_400_000, 86_400_001, 2 ** 53, 1e12, -1e12, 1e13, 0.5),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.string(), fc.integer(), fc.boolean())),
);

const validEvent = fc.record(
  {
    i: fc.string({ minLength: 8, maxLength: LIMITS.idLength }),
    n: fc.stringMatching(/^[\w.:-]{1,64}$/),
    t: fc.nat(),
    u: fc.string({ maxLength: LIMITS.urlLength }),
    r: fc.string({ maxLength: 50 }),
    v: fc.string({ minLength: 1, maxLength: LIMITS.idLength }),
    x: fc.string({ minLength: 1, maxLength: 20 }),
    w: fc.string({ minLength: 1, maxLength: 20 }),
    l: fc.string({ maxLength: 35 }),
    h: fc.constant(1),
    a: fc.constant(1),
    m: fc.record({
      a: fc.double({ min: -1e12, max: 1e12, noNaN: true }),
      c: fc.stringMatching(/^[A-Z]{3}$/),
    }),
    em: fc.integer({ min: 0, max: 86_400_000 }),
    sd: fc.integer({ min: 0, max: 100 }),
    p: fc.dictionary(
      // fast-check favours "__proto__", which the fast path leaves to zod on purpose (tested below).
      fc
        .string({ minLength: 1, maxLength: LIMITS.propKeyLength })
        .filter((key) => key !== "__proto__"),
      fc.oneof(
        fc.string({ maxLength: LIMITS.propValueLength }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
      ),
      { maxKeys: LIMITS.propCount },
    ),
  },
  { requiredKeys: ["i", "n", "t", "u"] },
);

/** A valid event with one field replaced, added or removed: the edges the fast path must get right. */
const nearEvent = fc
  .tuple(
    validEvent,
    fc.constantFrom(
      "i",
      "n",
      "t",
      "u",
      "r",
      "v",
      "x",
      "w",
      "l",
      "h",
      "a",
      "m",
      "em",
      "sd",
      "p",
      "z",
    ),
    fc.option(anyValue, { nil: undefined }),
  )
  .map(([event, key, value]) => {
    const copy: Record<string, unknown> = { ...event };
    if (value === undefined) delete copy[key];
    else copy[key] = value;
    return copy;
  });

/** Through JSON, as the core sees it: `__proto__` keys become own properties. */
const asParsed = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe("quickWireEvent", () => {
  it("accepts only what wireEventSchema accepts, and returns the same data", () => {
    fc.assert(
      fc.property(fc.oneof(nearEvent, validEvent, anyValue), (candidate) => {
        const raw = asParsed(candidate);
        const quick = quickWireEvent(raw);
        if (quick === null) return;
        const zod = wireEventSchema.safeParse(raw);
        expect(zod.success).toBe(true);
        expect(quick).toEqual(zod.data);
      }),
      { numRuns: 3000 },
    );
  });

  it("takes the fast path for valid events (zod is only the slow path)", () => {
    fc.assert(
      fc.property(validEvent, (event) => {
        const raw = asParsed(event);
        expect(wireEventSchema.safeParse(raw).success).toBe(true);
        expect(quickWireEvent(raw)).not.toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it("leaves __proto__ keys, wrong types and out-of-range numbers to zod", () => {
    const base = { i: "event-0001", n: "pageview", t: 1, u: "https://a.test/" };
    for (const bad of [
      { ...base, p: JSON.parse('{"__proto__": "x"}') },
      JSON.parse('{"i":"event-0001","n":"pageview","t":1,"u":"x","__proto__":{}}'),
      { ...base, t: 2 ** 53 },
      { ...base, t: 1.5 },
      { ...base, sd: 101 },
      { ...base, m: { a: 1, c: "EUR", x: 1 } },
      { ...base, p: [] },
      { ...base, p: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i])) },
      { ...base, p: { a: Number.POSITIVE_INFINITY } },
    ]) {
      expect(quickWireEvent(bad)).toBeNull();
    }
  });
});

describe("quickWireBatch", () => {
  const batch = fc.record(
    {
      s: fc.oneof(fc.string({ maxLength: 260 }), anyValue),
      sv: fc.oneof(fc.string({ maxLength: 20 }), anyValue),
      c: fc.oneof(fc.integer({ min: -5, max: Number.MAX_SAFE_INTEGER }), fc.double(), anyValue),
      e: fc.oneof(fc.array(fc.nat(), { maxLength: 55 }), anyValue),
      z: anyValue,
    },
    { requiredKeys: [] },
  );

  it("accepts only what wireBatchSchema accepts, and returns the same data", () => {
    fc.assert(
      fc.property(fc.oneof(batch, anyValue), (candidate) => {
        const raw = asParsed(candidate);
        const quick = quickWireBatch(raw);
        if (quick === null) return;
        const zod = wireBatchSchema.safeParse(raw);
        expect(zod.success).toBe(true);
        expect(quick).toEqual(zod.data);
      }),
      { numRuns: 3000 },
    );
  });

  it("takes the fast path for a valid envelope", () => {
    expect(quickWireBatch({ s: "example.com", sv: "1.2.0", e: [{}] })).not.toBeNull();
    expect(
      quickWireBatch({ s: "example.com", sv: "4", c: 1_790_000_000_000, e: [{}] }),
    ).not.toBeNull();
    expect(quickWireBatch({ s: "example.com", e: new Array(51).fill({}) })).toBeNull();
  });
});
