import type { ApiMetric } from "../api/types.ts";
import { formatCount, formatDecimal, formatDuration, formatPercent } from "../lib/format.ts";

// The headline metrics: what each is called, the query API metric behind it, how it reads.

export type MetricKey =
  | "visitors"
  | "visits"
  | "pageviews"
  | "views_per_visit"
  | "bounce_rate"
  | "visit_duration";

export interface MetricInfo {
  key: MetricKey;
  label: string;
  /** The query API's name. */
  api: Extract<ApiMetric, string>;
  format: (n: number) => string;
  /** A fall is good news (bounce rate). */
  lowerIsBetter?: boolean;
  /** Changes are shown in points, not percent (rates). */
  points?: boolean;
  /** A count: whole numbers only. */
  integer?: boolean;
}

export const METRICS: readonly MetricInfo[] = [
  {
    key: "visitors",
    label: "Unique visitors",
    api: "visitors",
    format: formatCount,
    integer: true,
  },
  { key: "visits", label: "Total visits", api: "sessions", format: formatCount, integer: true },
  {
    key: "pageviews",
    label: "Total pageviews",
    api: "pageviews",
    format: formatCount,
    integer: true,
  },
  {
    key: "views_per_visit",
    label: "Views per visit",
    api: "views_per_session",
    format: formatDecimal,
  },
  {
    key: "bounce_rate",
    label: "Bounce rate",
    api: "bounce_rate",
    format: formatPercent,
    lowerIsBetter: true,
    points: true,
  },
  {
    key: "visit_duration",
    label: "Visit duration",
    api: "session_duration",
    format: formatDuration,
  },
];

export const DEFAULT_METRIC: MetricKey = "visitors";

export function isMetricKey(value: string): value is MetricKey {
  return METRICS.some((m) => m.key === value);
}

export function metricInfo(key: MetricKey): MetricInfo {
  return METRICS.find((m) => m.key === key) ?? (METRICS[0] as MetricInfo);
}
