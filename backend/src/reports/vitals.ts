import { filteredEvents } from "../query/compile.ts";
import { compileFilters } from "../query/filters.ts";
import { Params } from "../query/params.ts";
import { type Reader, readReport } from "../query/read.ts";
import { resolveRange } from "../query/time.ts";
import type { VitalsBody, VitalsResult } from "../schemas/reports.ts";

export const VITALS = ["LCP", "INP", "CLS", "FCP", "TTFB"] as const;
type Vital = (typeof VITALS)[number];

interface VitalRow {
  metric: Vital;
  samples: number | string;
  q: (number | null)[];
  good: number | string;
  needs_improvement: number | string;
  poor: number | string;
}

/**
 * p50/p75/p95 of each Core Web Vital and how many samples the browser rated good, needing
 * improvement or poor. Duplicate deliveries are collapsed (FINAL) so they never skew quantiles.
 */
export async function webVitals(ch: Reader, body: VitalsBody): Promise<VitalsResult> {
  const range = resolveRange(body);
  const params = new Params(range.tz);
  const filters = compileFilters(body.filters, params);
  const { from, where } = filteredEvents(body, range, params, filters, new Set(["props"]), {
    exactTime: false,
    dedupe: true,
  });
  const rating = (r: string) =>
    `uniqExactIf(event_id, props['rating'] = ${params.bind(r, "String")})`;
  const sql = `SELECT props['metric'] AS metric, uniqExact(event_id) AS samples,
    quantiles(0.5, 0.75, 0.95)(toFloat64OrNull(props['value'])) AS q,
    ${rating("good")} AS good, ${rating("needs-improvement")} AS needs_improvement, ${rating("poor")} AS poor
FROM ${from}
WHERE ${where} AND name = 'web_vital'
  AND props['metric'] IN ${params.bind(VITALS, "Array(String)")}
GROUP BY metric`;
  const rows = await readReport<VitalRow>(ch, sql, params.values);
  const found = new Map(rows.map((r) => [r.metric, r]));
  const n = (v: number | null | undefined) =>
    v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v);
  return {
    from: range.from,
    to: range.to,
    tz: range.tz,
    metrics: VITALS.map((metric) => {
      const r = found.get(metric);
      return {
        metric,
        samples: Number(r?.samples ?? 0),
        p50: r ? n(r.q[0]) : null,
        p75: r ? n(r.q[1]) : null,
        p95: r ? n(r.q[2]) : null,
        good: Number(r?.good ?? 0),
        needs_improvement: Number(r?.needs_improvement ?? 0),
        poor: Number(r?.poor ?? 0),
      };
    }),
  };
}
