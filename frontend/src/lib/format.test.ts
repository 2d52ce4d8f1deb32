import { describe, expect, it } from "vitest";
import { change } from "./format.ts";

describe("change", () => {
  it("is a whole percent, so the card shows 402%, not 401.68776371308013%", () => {
    expect(change(2378, 474)).toBe(402);
    expect(change(90, 100)).toBe(-10);
  });

  it("rounds rates in whole points, and a change that rounds to nothing is 0, never -0", () => {
    expect(change(43.2, 42.1, true)).toBe(1);
    expect(Object.is(change(42.3, 42.6, true), 0)).toBe(true);
    expect(Object.is(change(1000, 1003), 0)).toBe(true);
  });

  it("is null when there is nothing to compare with", () => {
    expect(change(5, null)).toBeNull();
    expect(change(5, 0)).toBeNull();
    expect(change(0, 0)).toBe(0);
  });
});
