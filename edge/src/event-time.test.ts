import { describe, expect, it } from "vitest";
import { eventTime, MAX_QUEUE_AGE_MS, NETWORK_DELAY_MS } from "./event-time.ts";
import { LIMITS } from "./limits.ts";

const NOW = Date.UTC(2026, 10, 23, 12);
const HOUR = 3_600_000;

describe("eventTime", () => {
  it("keeps the client time when the skew is only the request's trip", () => {
    expect(eventTime(NOW - 3 * HOUR, NOW, NOW)).toBe(NOW - 3 * HOUR);
    expect(eventTime(NOW - 3 * HOUR, NOW - NETWORK_DELAY_MS, NOW)).toBe(NOW - 3 * HOUR);
  });

  it("corrects a clock that is behind or ahead by the batch's skew", () => {
    expect(eventTime(NOW - 48 * HOUR - 3 * HOUR, NOW - 48 * HOUR, NOW)).toBe(NOW - 3 * HOUR);
    expect(eventTime(NOW + 5 * HOUR - HOUR, NOW + 5 * HOUR, NOW)).toBe(NOW - HOUR);
    // A clock a little ahead is corrected too, or its events would lie in the future.
    expect(eventTime(NOW + 2000, NOW + 3000, NOW)).toBe(NOW - 1000);
  });

  it("never answers a time in the future or older than the tracker's queue", () => {
    expect(eventTime(NOW + 60_000, undefined, NOW)).toBe(NOW);
    expect(eventTime(NOW - MAX_QUEUE_AGE_MS - HOUR / 2, undefined, NOW)).toBe(
      NOW - MAX_QUEUE_AGE_MS,
    );
  });

  it("refuses times beyond what a tracker can send, after correction", () => {
    expect(eventTime(NOW - LIMITS.maxEventAgeMs - 1, undefined, NOW)).toBeNull();
    expect(eventTime(NOW + LIMITS.maxClockSkewMs + 1, undefined, NOW)).toBeNull();
    // An event its own tracker kept for three days, on a right clock.
    expect(eventTime(NOW - 72 * HOUR, NOW - 10, NOW)).toBeNull();
  });
});
