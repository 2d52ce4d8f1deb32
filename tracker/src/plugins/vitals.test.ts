import { describe, expect, it } from "vitest";

describe("rating", () => {
  it("uses the web.dev thresholds", async () => {
    // Importing the plugin starts its observers; jsdom has no PerformanceObserver, which it tolerates.
    const { rating } = await import("./vitals.ts");
    expect(rating("LCP", 2500)).toBe("good");
    expect(rating("LCP", 2501)).toBe("needs-improvement");
    expect(rating("LCP", 4001)).toBe("poor");
    expect(rating("CLS", 0.1)).toBe("good");
    expect(rating("INP", 300)).toBe("needs-improvement");
    expect(rating("TTFB", 1801)).toBe("poor");
  });
});
