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

const LABELS: Record<string, string> = {
  events: "Events",
  pageviews: "Pageviews",
  visitors: "Visitors",
  sessions: "Visits",
  bounce_rate: "Bounce rate",
  views_per_session: "Views per visit",
  session_duration: "Visit duration",
  engaged_time: "Time on page",
  scroll_depth: "Scroll depth",
  revenue: "Revenue",
};

/** A metric column's name as people read it (labels the user gave stay as they are). */
export function metricLabel(column: string): string {
  return LABELS[column] ?? column;
}

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
