import { DATABASE } from "../clickhouse.ts";

/**
 * The hourly rollups of human traffic (config/clickhouse 0015_rollups.sql), one definition each:
 * the raw columns they are keyed by besides site and hour, and the measures they keep. The
 * materializer fills them from raw events with each event id counted once, so `events` and
 * `pageviews` are exact counts and sums; `visitors` are uniqCombined64 states of the 64-bit visitor
 * hash, merged into approximate distinct counts (docs/storage.md states the error).
 */

export type Measure =
  | "events"
  | "pageviews"
  | "visitors"
  | "pv_visitors"
  | "engagements"
  | "engaged_ms"
  | "scroll_depth";

/** Each measure as the materializer computes it over one hour's events, each event id once. */
export const MEASURE_SQL: Readonly<Record<Measure, string>> = {
  events: "count()",
  pageviews: "countIf(name = 'pageview')",
  visitors: "uniqCombined64State(visitor)",
  pv_visitors: "uniqCombined64StateIf(visitor, name = 'pageview')",
  engagements: "countIf(name = 'engagement')",
  engaged_ms: "sumIf(toUInt64(engaged_ms), name = 'engagement')",
  scroll_depth: "sumIf(toUInt64(scroll_depth), name = 'engagement')",
};

/** ClickHouse types of the measures, as the migration declares them. */
export const MEASURE_TYPES: Readonly<Record<Measure, string>> = {
  events: "UInt64",
  pageviews: "UInt64",
  visitors: "AggregateFunction(uniqCombined64, UInt64)",
  pv_visitors: "AggregateFunction(uniqCombined64, UInt64)",
  engagements: "UInt64",
  engaged_ms: "UInt64",
  scroll_depth: "UInt64",
};

export interface Rollup {
  table: string;
  /** Raw event columns it is keyed by, after site_id and hour. */
  dims: readonly string[];
  measures: readonly Measure[];
}

const COUNTS: readonly Measure[] = ["events", "pageviews", "visitors"];

/** Smallest first: a query takes the first rollup that has every column it needs. */
export const ROLLUPS: readonly Rollup[] = [
  { table: "rollup_hourly", dims: [], measures: COUNTS },
  { table: "rollup_events", dims: ["name"], measures: ["events", "visitors"] },
  { table: "rollup_geo", dims: ["country", "region", "city"], measures: COUNTS },
  {
    table: "rollup_devices",
    dims: ["browser", "browser_version", "os", "os_version", "device", "language"],
    measures: COUNTS,
  },
  {
    table: "rollup_sources",
    dims: [
      "channel",
      "referrer_domain",
      "referrer",
      "utm_source",
      "utm_medium",
      "utm_campaign",
      "utm_term",
      "utm_content",
    ],
    measures: COUNTS,
  },
  {
    table: "rollup_pages",
    dims: ["hostname", "pathname"],
    measures: [...COUNTS, "pv_visitors", "engagements", "engaged_ms", "scroll_depth"],
  },
];

/** Raw columns the rollups' measures read. */
export const MEASURE_COLUMNS = ["name", "visitor", "engaged_ms", "scroll_depth"] as const;

/**
 * The statement that writes `rollup`'s rows for the events `source` yields (one row per event id,
 * with the rollup's dims and MEASURE_COLUMNS, `site_id` and `ts`), as version `version`.
 */
export function rollupInsert(rollup: Rollup, source: string, version: string): string {
  const keys = ["site_id", "hour", ...rollup.dims];
  const measures = rollup.measures.map((m) => `${MEASURE_SQL[m]} AS ${m}`);
  return `INSERT INTO ${DATABASE}.${rollup.table} (${[...keys, ...rollup.measures, "version"].join(", ")})
  SELECT site_id, toStartOfHour(ts) AS hour${rollup.dims.map((d) => `, ${d}`).join("")},
    ${measures.join(", ")}, ${version} AS version
  FROM (${source})
  GROUP BY ${keys.join(", ")}`;
}

/** Every raw column a rollup build reads. */
export function rollupSourceColumns(): string[] {
  return [
    ...new Set([
      "site_id",
      "ts",
      "event_id",
      ...MEASURE_COLUMNS,
      ...ROLLUPS.flatMap((r) => r.dims),
    ]),
  ];
}
