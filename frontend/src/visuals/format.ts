import type { ApiMetric, QueryResult } from "../api/types.ts";
import { formatCount, formatDecimal, formatDuration, formatPercent } from "../lib/format.ts";

const BY_NAME: Record<string, (n: number) => string> = {
  events: formatCount,
  pageviews: formatCount,
  visitors: formatCount,
  sessions: formatCount,
  conversions: formatCount,
  converted_visitors: formatCount,
  bounce_rate: formatPercent,
  conversion_rate: formatPercent,
  scroll_depth: formatPercent,
  views_per_session: formatDecimal,
  session_duration: formatDuration,
  engaged_time: formatDuration,
  revenue: (n) => n.toLocaleString("en", { maximumFractionDigits: 2 }),
};

const plain = (n: number) => n.toLocaleString("en", { maximumFractionDigits: 2 });

/** How a metric's values read (by the metric, or by a column named after one). */
export function metricFormat(metric: ApiMetric | string): (n: number) => string {
  const name = typeof metric === "string" ? metric : metric.name;
  return BY_NAME[name] ?? plain;
}

/** The answer's metric columns, each with the spec's metric behind it and how it reads. */
export function metricColumns(result: QueryResult, metrics: readonly ApiMetric[]) {
  const cols = result.columns.filter((c) => c.kind === "metric");
  return cols.map((c, i) => ({
    name: c.name,
    format: metricFormat(metrics[i] ?? c.name),
  }));
}

export const num = (v: unknown): number | null =>
  v === null || v === undefined || v === "" ? null : Number(v);
