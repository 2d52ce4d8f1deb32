import { describe, expect, it } from "vitest";
import { TokenBuckets } from "./rate-limit.ts";

describe("TokenBuckets", () => {
  it("allows the burst, then the rate, and says how long to wait", () => {
    const buckets = new TokenBuckets(2, 4);
    const t = 1_000_000;
    for (let i = 0; i < 4; i++) expect(buckets.take("a", 1, t)).toBe(0);
    expect(buckets.take("a", 1, t)).toBe(1);
    expect(buckets.take("b", 1, t)).toBe(0); // keys are independent
    expect(buckets.take("a", 1, t + 500)).toBe(0); // 2/s refills one token in 500 ms
    expect(buckets.take("a", 3, t + 500)).toBe(2);
  });

  it("is off at rate 0 and forgets idle keys", () => {
    expect(new TokenBuckets(0, 1).take("a", 1000)).toBe(0);
    const buckets = new TokenBuckets(10, 10);
    buckets.take("a", 1, 0);
    buckets.take("b", 1, 60_000);
    expect(buckets.size).toBe(1);
  });
});
