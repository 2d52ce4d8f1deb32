// vitals.js: Core Web Vitals (LCP, INP, CLS, FCP, TTFB) as `web_vital` events, one per metric.
import { on } from "../guard.ts";
import { track } from "./track.ts";

/** Good and poor thresholds from web.dev: at most the first is good, above the second is poor. */
export const THRESHOLDS: Record<string, [number, number]> = {
  LCP: [2500, 4000],
  INP: [200, 500],
  CLS: [0.1, 0.25],
  FCP: [1800, 3000],
  TTFB: [800, 1800],
};

export function rating(metric: string, value: number): string {
  const [good, poor] = THRESHOLDS[metric]!;
  return value <= good ? "good" : value <= poor ? "needs-improvement" : "poor";
}

const values: Record<string, number> = {};
const sent = new Set<string>();

const report = (metric: string) => {
  const value = values[metric];
  if (value === undefined || sent.has(metric)) return;
  sent.add(metric);
  track("web_vital", {
    metric,
    value: Math.round(value * 1000) / 1000,
    rating: rating(metric, value),
  });
};

type Entry = PerformanceEntry & { [k: string]: number };
const observe = (type: string, cb: (e: Entry) => void, opts?: object) => {
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) cb(e as Entry);
    }).observe({ type, buffered: true, ...opts });
    return true;
  } catch {
    return false;
  }
};

const navigation = performance.getEntriesByType("navigation")[0] as Entry | undefined;
if (navigation) {
  values.TTFB = Math.max(0, navigation.responseStart! - (navigation.activationStart || 0));
  report("TTFB");
}
observe("paint", (e) => {
  if (e.name === "first-contentful-paint") {
    values.FCP = e.startTime;
    report("FCP");
  }
});
observe("largest-contentful-paint", (e) => {
  values.LCP = e.startTime;
});
// CLS: the largest session window (shifts less than 1 s apart, at most 5 s long).
let windowSum = 0;
let first = 0;
let previous = 0;
if (
  observe("layout-shift", (e) => {
    if (e.hadRecentInput) return;
    if (windowSum && e.startTime - previous < 1e3 && e.startTime - first < 5e3)
      windowSum += e.value!;
    else {
      windowSum = e.value!;
      first = e.startTime;
    }
    previous = e.startTime;
    values.CLS = Math.max(values.CLS!, windowSum);
  })
)
  values.CLS = 0;
// INP: the slowest interaction (pages here rarely have enough interactions for a percentile).
observe(
  "event",
  (e) => {
    if (e.interactionId) values.INP = Math.max(values.INP || 0, e.duration!);
  },
  { durationThreshold: 16 },
);

// LCP, CLS and INP are final once the page is hidden.
const final = () => {
  for (const m of ["LCP", "CLS", "INP"]) report(m);
};
on("visibilitychange", () => document.visibilityState === "hidden" && final(), document);
on("pagehide", final);
