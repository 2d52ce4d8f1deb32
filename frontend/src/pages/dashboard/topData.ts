import { useQueryApi } from "../../api/reports.ts";
import type { Row } from "../../api/types.ts";
import { METRICS, type MetricInfo } from "../../state/metrics.ts";
import { bucketKey, currentBucket, type Granularity } from "../../state/periods.ts";
import { useScope } from "../../state/scope.tsx";

/**
 * The headline metrics in two groups, each its own query: counts come from the hourly rollup,
 * and session metrics alone (no count beside them) from each visitor's half hours; one query
 * holding both would derive sessions from raw events, several times slower on large sites.
 */
const GROUPS = {
  counts: METRICS.filter((m) => m.integer && m.api !== "sessions").map((m) => m.api),
  sessions: METRICS.filter((m) => !m.integer || m.api === "sessions").map((m) => m.api),
};
type Group = keyof typeof GROUPS;

export function groupOf(metric: MetricInfo): Group {
  return GROUPS.counts.includes(metric.api) ? "counts" : "sessions";
}

/** The bucket size in use: the URL's when the range allows it, else the range's default. */
export function useGranularity(): Granularity {
  const { state, resolved } = useScope();
  return state.granularity && resolved.granularities.includes(state.granularity)
    ? state.granularity
    : resolved.granularity;
}

function useGroup(group: Group, granularity: Granularity) {
  const { range, filters, state } = useScope();
  const totals = useQueryApi({
    ...range,
    filters,
    metrics: GROUPS[group],
    compare: state.compare ?? "previous_period",
  });
  const series = useQueryApi({
    ...range,
    filters,
    metrics: GROUPS[group],
    granularity,
    limit: 10_000,
    ...(state.compare ? { compare: state.compare } : {}),
  });
  return { totals, series };
}

/**
 * The headline totals (always against the previous period, or the chosen comparison, for the
 * change shown on each card) and the series behind the chart and the sparklines.
 */
export function useTopData() {
  const { tz } = useScope();
  const granularity = useGranularity();
  const groups = {
    counts: useGroup("counts", granularity),
    sessions: useGroup("sessions", granularity),
  };
  // Buckets after now have not happened; the one holding now has only partly happened.
  const now = currentBucket(granularity, tz);
  const trim = (rows: Row[] | undefined) =>
    (rows ?? []).filter((r) => bucketKey(String(r.time), granularity) <= now);
  const rowsOf = (group: Group) => trim(groups[group].series.data?.rows);
  const partialLast = (rows: Row[]) =>
    rows.length > 0 && bucketKey(String(rows[rows.length - 1]?.time), granularity) === now;
  return { groups, granularity, rowsOf, partialLast };
}
