import { describe, expect, it } from "vitest";
import { EMAIL, flatProps, NAME, revenue } from "./payload.ts";

describe("flatProps", () => {
  it("keeps strings, finite numbers and booleans", () => {
    expect(flatProps({ plan: "pro", seats: 3, trial: false })).toEqual({
      plan: "pro",
      seats: 3,
      trial: false,
    });
  });

  it("drops nested, null, non-finite values and empty or long keys; cuts long strings", () => {
    expect(
      flatProps({
        ok: "yes",
        nested: { a: 1 },
        none: null,
        nan: Number.NaN,
        "": 1,
        ["k".repeat(65)]: 1,
        long: "x".repeat(600),
      }),
    ).toEqual({ ok: "yes", long: "x".repeat(512) });
  });

  it("keeps at most 30 properties", () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(flatProps(many)!)).toHaveLength(30);
  });

  it("returns undefined when nothing is left, so the key is omitted", () => {
    expect(flatProps(undefined)).toBeUndefined();
    expect(flatProps({})).toBeUndefined();
    expect(flatProps("text")).toBeUndefined();
  });
});

describe("revenue", () => {
  it("accepts an amount and an ISO 4217 code, upper-casing it", () => {
    expect(revenue({ amount: 9.5, currency: "eur" })).toEqual({ a: 9.5, c: "EUR" });
    expect(revenue({ amount: "12", currency: "USD" })).toEqual({ a: 12, c: "USD" });
  });

  it("rejects bad amounts and currencies", () => {
    expect(revenue(undefined)).toBeUndefined();
    expect(revenue({ amount: "x", currency: "EUR" })).toBeUndefined();
    expect(revenue({ amount: 1, currency: "EURO" })).toBeUndefined();
    expect(revenue({ amount: 1 })).toBeUndefined();
  });
});

describe("names and ids", () => {
  it("accepts the collector's event names only", () => {
    expect(NAME.test("signup")).toBe(true);
    expect(NAME.test("checkout:step-2.done")).toBe(true);
    expect(NAME.test("bad name")).toBe(false);
    expect(NAME.test("x".repeat(65))).toBe(false);
  });

  it("spots email-shaped user ids", () => {
    expect(EMAIL.test("ada@example.com")).toBe(true);
    expect(EMAIL.test(" a.b+c@mail.example.org ")).toBe(true);
    expect(EMAIL.test("user-42")).toBe(false);
    expect(EMAIL.test("@handle")).toBe(false);
  });
});
