import { describe, expect, it } from "vitest";
import {
  addDays,
  countDays,
  formatLocalDate,
  isPreset,
  parseLocalDate,
  presetRange,
  resolveRange,
  validateRange,
} from "./dateRange.ts";

// Local dates built from parts, so the tests hold in any TZ the runner has.
const day = (y: number, m: number, d: number) => new Date(y, m - 1, d, 15, 30);

describe("presets", () => {
  it("ends today and counts today", () => {
    const today = day(2026, 3, 15);
    expect(presetRange("7d", today)).toEqual({ from: "2026-03-09", to: "2026-03-15" });
    expect(presetRange("30d", today)).toEqual({ from: "2026-02-14", to: "2026-03-15" });
    expect(presetRange("90d", today)).toEqual({ from: "2025-12-16", to: "2026-03-15" });
  });

  it("covers exactly N dates", () => {
    const today = day(2026, 1, 5);
    expect(countDays(presetRange("7d", today))).toBe(7);
    expect(countDays(presetRange("30d", today))).toBe(30);
    expect(countDays(presetRange("90d", today))).toBe(90);
  });

  it("crosses year ends and leap days", () => {
    expect(presetRange("7d", day(2026, 1, 3))).toEqual({ from: "2025-12-28", to: "2026-01-03" });
    expect(presetRange("7d", day(2024, 3, 2))).toEqual({ from: "2024-02-25", to: "2024-03-02" });
  });

  it("recognises only the known preset names", () => {
    expect(isPreset("7d")).toBe(true);
    expect(isPreset("30d")).toBe(true);
    expect(isPreset("90d")).toBe(true);
    expect(isPreset("365d")).toBe(false);
    expect(isPreset("custom")).toBe(false);
  });
});

describe("custom ranges", () => {
  it("resolve to their own dates, whatever today is", () => {
    expect(
      resolveRange({ kind: "custom", from: "2025-01-01", to: "2025-01-31" }, day(2026, 6, 1)),
    ).toEqual({
      from: "2025-01-01",
      to: "2025-01-31",
    });
  });

  it("resolve presets against the given today", () => {
    expect(resolveRange({ kind: "preset", preset: "7d" }, day(2026, 3, 15))).toEqual({
      from: "2026-03-09",
      to: "2026-03-15",
    });
  });

  it("accept a single day and ordered dates", () => {
    expect(validateRange("2026-03-01", "2026-03-01")).toBeNull();
    expect(validateRange("2026-02-01", "2026-03-01")).toBeNull();
    expect(countDays({ from: "2026-03-01", to: "2026-03-01" })).toBe(1);
  });

  it("reject a start after the end", () => {
    expect(validateRange("2026-03-02", "2026-03-01")).toMatch(/on or before/);
    expect(countDays({ from: "2026-03-02", to: "2026-03-01" })).toBe(0);
  });

  it("reject missing or impossible dates", () => {
    expect(validateRange("", "2026-03-01")).toMatch(/start date/);
    expect(validateRange("2026-03-01", "")).toMatch(/end date/);
    expect(validateRange("2025-02-29", "2025-03-01")).toMatch(/start date/);
    expect(validateRange("2026-3-1", "2026-03-05")).toMatch(/start date/);
  });
});

describe("local date helpers", () => {
  it("format with zero padding from local fields", () => {
    expect(formatLocalDate(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
    expect(formatLocalDate(new Date(2026, 11, 31, 0, 0))).toBe("2026-12-31");
  });

  it("parse strictly to local midnight", () => {
    const parsed = parseLocalDate("2024-02-29");
    expect(
      parsed && [parsed.getFullYear(), parsed.getMonth(), parsed.getDate(), parsed.getHours()],
    ).toEqual([2024, 1, 29, 0]);
    expect(parseLocalDate("2024-02-30")).toBeNull();
    expect(parseLocalDate("2024-13-01")).toBeNull();
    expect(parseLocalDate("20240229")).toBeNull();
  });

  it("add calendar days, not 24-hour blocks", () => {
    // Whatever DST rules apply locally, stepping a day lands on the next date.
    let d = new Date(2026, 0, 1);
    for (let i = 0; i < 365; i++) d = addDays(d, 1);
    expect(formatLocalDate(d)).toBe("2027-01-01");
    expect(countDays({ from: "2026-01-01", to: "2026-12-31" })).toBe(365);
  });
});
