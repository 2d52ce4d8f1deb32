import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyRow, formatTimestamp } from "./row.ts";
import { eventRowSchema } from "./row-schema.ts";

const viaIso = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 23);

describe("formatTimestamp", () => {
  it("writes ClickHouse's DateTime64(3) text in UTC", () => {
    expect(formatTimestamp(Date.UTC(2026, 10, 23, 7, 5, 9, 42))).toBe("2026-11-23 07:05:09.042");
    expect(formatTimestamp(0)).toBe("1970-01-01 00:00:00.000");
    expect(formatTimestamp(Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toBe("2024-02-29 23:59:59.999");
  });

  it("agrees with Date#toISOString for any time, across day changes and in any order", () => {
    const ms = fc.oneof(
      fc.integer({ min: 0, max: 253_402_300_799_999 }),
      fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 0, 3) }),
      fc.double({ min: 0, max: 4e12, noNaN: true }),
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
    );
    fc.assert(
      fc.property(fc.array(ms, { minLength: 1, maxLength: 8 }), (times) => {
        for (const t of times) expect(formatTimestamp(t)).toBe(viaIso(t));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("emptyRow", () => {
  it("holds every column's empty value, each passing the column's check", () => {
    const row = emptyRow();
    expect(eventRowSchema.parse(row)).toEqual(row);
    expect(emptyRow().props).not.toBe(row.props);
  });
});
