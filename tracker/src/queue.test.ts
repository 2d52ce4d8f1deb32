import { describe, expect, it } from "vitest";
import { backoff } from "./queue.ts";

describe("backoff", () => {
  it("starts near 2 s and doubles, with ±20 % jitter", () => {
    expect(backoff(1, 0)).toBe(1600);
    expect(backoff(1, 1)).toBeCloseTo(2400);
    expect(backoff(2, 0.5)).toBeCloseTo(4000);
    expect(backoff(3, 0.5)).toBeCloseTo(8000);
  });

  it("never waits more than an hour", () => {
    expect(backoff(30, 1)).toBe(3_600_000);
  });
});
