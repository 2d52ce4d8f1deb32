import { describe, expect, it } from "vitest";
import { encodeBatch, flatProps, SCRIPT_VERSION } from "./payload.ts";

describe("flatProps", () => {
  it("keeps strings, finite numbers and booleans", () => {
    expect(flatProps({ plan: "pro", seats: 3, trial: false })).toEqual({
      plan: "pro",
      seats: 3,
      trial: false,
    });
  });

  it("drops nested, null, undefined, function and non-finite values", () => {
    expect(
      flatProps({
        ok: "yes",
        nested: { a: 1 },
        list: [1],
        none: null,
        missing: undefined,
        fn: () => 1,
        nan: Number.NaN,
        inf: Number.POSITIVE_INFINITY,
      }),
    ).toEqual({ ok: "yes" });
  });

  it("returns undefined when nothing is left, so the key is omitted", () => {
    expect(flatProps(undefined)).toBeUndefined();
    expect(flatProps({})).toBeUndefined();
    expect(flatProps({ a: null })).toBeUndefined();
    expect(flatProps("text")).toBeUndefined();
    expect(flatProps([1, 2])).toBeUndefined();
  });
});

describe("encodeBatch", () => {
  it("wraps events with the site and script version", () => {
    const event = { i: "e1", n: "pageview", t: 1, u: "https://shop.com/", v: "v1", x: "s1" };
    expect(JSON.parse(encodeBatch("shop.com", [event]))).toEqual({
      s: "shop.com",
      sv: SCRIPT_VERSION,
      e: [event],
    });
    expect(SCRIPT_VERSION).toBe("1");
  });
});
