import {
  Compare,
  FilterOp,
  type Metric,
  MetricObject,
  type QueryMeta,
  SPEC_LIMITS,
} from "../schemas/query.ts";
import { DIMENSIONS } from "./allowlist.ts";
import { compileMetric } from "./metrics.ts";
import { Params } from "./params.ts";
import { MAX_DAYS, MAX_DAYS_BY_GRANULARITY } from "./time.ts";

type MetricName = MetricObject["name"];
type MetricInfo = Omit<QueryMeta["metrics"][number], "name" | "session">;

/**
 * How each metric reads. Keyed by the schema's own list of names, so a metric added there does
 * not typecheck until it is described here; whether it is a session metric is asked of the
 * compiler itself.
 */
const METRICS: Readonly<Record<MetricName, MetricInfo>> = {
  events: { label: "Events", kind: "count" },
  pageviews: { label: "Pageviews", kind: "count" },
  visitors: { label: "Visitors", kind: "count" },
  sessions: { label: "Sessions", kind: "count" },
  bounce_rate: { label: "Bounce rate", kind: "rate" },
  views_per_session: { label: "Views per session", kind: "decimal" },
  session_duration: { label: "Session duration", kind: "duration" },
  engaged_time: { label: "Engaged time", kind: "duration" },
  scroll_depth: { label: "Scroll depth", kind: "rate" },
  revenue: { label: "Revenue", kind: "money" },
  conversions: { label: "Conversions", kind: "count", needs: ["goal"] },
  converted_visitors: { label: "Converted visitors", kind: "count", needs: ["goal"] },
  conversion_rate: { label: "Conversion rate", kind: "rate", needs: ["goal"] },
  sum: { label: "Sum of a property", kind: "number", needs: ["property"] },
  avg: { label: "Average of a property", kind: "number", needs: ["property"] },
  min: { label: "Minimum of a property", kind: "number", needs: ["property"] },
  max: { label: "Maximum of a property", kind: "number", needs: ["property"] },
  quantile: { label: "Quantile of a property", kind: "number", needs: ["property", "q"] },
};

/** Labels of the allowlisted dimensions; one missing reads as its name (a test checks all). */
export const DIMENSION_LABELS: Readonly<Record<string, string>> = {
  page: "Page",
  entry_page: "Entry page",
  exit_page: "Exit page",
  hostname: "Hostname",
  referrer: "Referrer",
  referrer_domain: "Referrer domain",
  channel: "Channel",
  utm_source: "UTM source",
  utm_medium: "UTM medium",
  utm_campaign: "UTM campaign",
  utm_term: "UTM term",
  utm_content: "UTM content",
  country: "Country",
  region: "Region",
  city: "City",
  browser: "Browser",
  browser_version: "Browser version",
  os: "Operating system",
  os_version: "OS version",
  device: "Device",
  language: "Language",
  event: "Event",
  currency: "Currency",
  day_of_week: "Weekday",
  hour_of_day: "Hour of day",
};

/** A metric object with every field its `needs` names filled with a sample value. */
export function sampleMetric(name: MetricName): Metric {
  const needs = METRICS[name].needs ?? [];
  return {
    name,
    ...(needs.includes("goal") ? { goal: { event: "signup" } } : {}),
    ...(needs.includes("property") ? { property: "value" } : {}),
    ...(needs.includes("q") ? { q: 0.5 } : {}),
  };
}

/** The query vocabulary, from the compiler's allowlists and the limits the spec schema uses. */
export function queryMeta(): QueryMeta {
  return {
    metrics: MetricObject.properties.name.enum.map((name) => ({
      name,
      ...METRICS[name],
      session: compileMetric(sampleMetric(name), "meta", new Params()).sessionExpr !== undefined,
    })),
    dimensions: Object.entries(DIMENSIONS).map(([name, def]) => ({
      name,
      label: DIMENSION_LABELS[name] ?? name,
      session: def.session !== undefined,
    })),
    propertyDimension: "prop:<key>",
    filterOps: [...FilterOp.enum],
    granularities: Object.entries(MAX_DAYS_BY_GRANULARITY).map(([name, maxDays]) => ({
      name: name as keyof typeof MAX_DAYS_BY_GRANULARITY,
      maxDays,
    })),
    maxDays: MAX_DAYS,
    compare: [...Compare.enum],
    limits: { ...SPEC_LIMITS },
  };
}
