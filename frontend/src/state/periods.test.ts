import { describe, expect, it } from "vitest";
import { currentBucket, resolvePeriod, shiftPeriod, wallClock } from "./periods.ts";

// 2026-03-29 00:30 UTC: 01:30 in Berlin (summer time begins half an hour later), still 28 March
// in New York.
const NOW = Date.UTC(2026, 2, 29, 0, 30);

describe("periods in the site's zone", () => {
  it("reads today and yesterday off the site's clock, not the viewer's", () => {
    expect(resolvePeriod({ period: "today" }, "Europe/Berlin", NOW)).toMatchObject({
      from: "2026-03-29",
      to: "2026-03-29",
      granularity: "hour",
    });
    expect(resolvePeriod({ period: "today" }, "America/New_York", NOW).from).toBe("2026-03-28");
    expect(resolvePeriod({ period: "yesterday" }, "Asia/Tokyo", NOW).from).toBe("2026-03-28");
  });

  it("gives the last 24 hours as local hours, ending with the current one", () => {
    expect(resolvePeriod({ period: "24h" }, "Europe/Berlin", NOW)).toMatchObject({
      from: "2026-03-28T02:00",
      to: "2026-03-29T01:00",
      granularity: "hour",
    });
  });

  it("counts last N days with today, and calendar months and years", () => {
    const tz = "UTC";
    expect(resolvePeriod({ period: "7d" }, tz, NOW)).toMatchObject({
      from: "2026-03-23",
      to: "2026-03-29",
      days: 7,
    });
    expect(resolvePeriod({ period: "91d" }, tz, NOW).days).toBe(91);
    expect(resolvePeriod({ period: "month" }, tz, NOW)).toMatchObject({
      from: "2026-03-01",
      to: "2026-03-29",
    });
    expect(resolvePeriod({ period: "last_month" }, tz, NOW)).toMatchObject({
      from: "2026-02-01",
      to: "2026-02-28",
      label: "February 2026",
    });
    expect(resolvePeriod({ period: "year" }, tz, NOW)).toMatchObject({
      from: "2026-01-01",
      days: 88,
      granularity: "day",
    });
    const year = resolvePeriod({ period: "12mo" }, tz, NOW);
    expect(year).toMatchObject({ from: "2025-04-01", to: "2026-03-29", granularity: "month" });
    expect(year.tooLong).toBeUndefined();
  });

  it("explains in words when all time is longer than a report may span", () => {
    const all = resolvePeriod({ period: "all" }, "UTC", NOW, "2024-01-15");
    expect(all.from).toBe("2024-01-15");
    expect(all.tooLong).toMatch(/All time covers 805 days, but a report can span at most 366 days/);
    expect(resolvePeriod({ period: "all" }, "UTC", NOW, "2026-03-01").tooLong).toBeUndefined();
    expect(resolvePeriod({ period: "all" }, "UTC", NOW, null).from).toBe("2026-03-29");
  });

  it("offers only the bucket sizes the API allows for the range", () => {
    expect(resolvePeriod({ period: "today" }, "UTC", NOW).granularities).toEqual([
      "minute",
      "hour",
    ]);
    expect(resolvePeriod({ period: "91d" }, "UTC", NOW).granularities).toContain("hour");
    expect(resolvePeriod({ period: "12mo" }, "UTC", NOW).granularities).not.toContain("hour");
  });

  it("takes a custom range, and falls back for a broken one", () => {
    const r = resolvePeriod({ period: "custom", from: "2026-01-05", to: "2026-01-11" }, "UTC", NOW);
    expect(r).toMatchObject({ from: "2026-01-05", to: "2026-01-11", label: "5 Jan – 11 Jan 2026" });
    expect(resolvePeriod({ period: "custom", from: "2026-02-30", to: "x" }, "UTC", NOW).label).toBe(
      "Last 30 days",
    );
  });

  it("steps to the previous and next period, never into the future", () => {
    expect(shiftPeriod({ period: "7d" }, -1, "UTC", NOW)).toEqual({
      period: "custom",
      from: "2026-03-16",
      to: "2026-03-22",
    });
    expect(shiftPeriod({ period: "7d" }, 1, "UTC", NOW)).toBeNull();
    expect(shiftPeriod({ period: "month" }, -1, "UTC", NOW)).toEqual({
      period: "custom",
      from: "2026-02-01",
      to: "2026-02-28",
    });
    expect(shiftPeriod({ period: "yesterday" }, 1, "UTC", NOW)).toEqual({ period: "today" });
    expect(shiftPeriod({ period: "realtime" }, -1, "UTC", NOW)).toBeNull();
  });

  it("names the bucket that holds now, to compare with the API's labels", () => {
    expect(currentBucket("hour", "Europe/Berlin", NOW)).toBe("2026-03-29T01");
    expect(currentBucket("day", "America/New_York", NOW)).toBe("2026-03-28");
    expect(currentBucket("week", "UTC", NOW)).toBe("2026-03-23");
    expect(currentBucket("month", "UTC", NOW)).toBe("2026-03-01");
    expect(new Date(wallClock("Asia/Kolkata", NOW)).toISOString()).toBe("2026-03-29T06:00:00.000Z");
  });
});
