import { useQueryApi } from "../../api/reports.ts";
import { METRICS } from "../../state/metrics.ts";
import { bucketKey, currentBucket, type Granularity } from "../../state/periods.ts";
import { useScope } from "../../state/scope.tsx";

const ALL = METRICS.map((m) => m.api);

/** The bucket size in use: the URL's when the range allows it, else the range's default. */
export function useGranularity(): Granularity {
  const { state, resolved } = useScope();
  return state.granularity && resolved.granularities.includes(state.granularity)
    ? state.granularity
    : resolved.granularity;
}

/**
 * The headline totals (always against the previous period, or the chosen comparison, for the
 * change shown on each card) and the series behind the chart and the sparklines.
 */
export function useTopData() {
  const { range, filters, state, tz } = useScope();
  const granularity = useGranularity();
  const totals = useQueryApi({
    ...range,
    filters,
    metrics: ALL,
    compare: state.compare ?? "previous_period",
  });
  const series = useQueryApi({
    ...range,
    filters,
    metrics: ALL,
    granularity,
    limit: 10_000,
    ...(state.compare ? { compare: state.compare } : {}),
  });
  // Buckets after now have not happened; the one holding now has only partly happened.
  const now = currentBucket(granularity, tz);
  const rows = series.data?.rows ?? [];
  const kept = rows.filter((r) => bucketKey(String(r.time), granularity) <= now);
  const partialLast =
    kept.length > 0 && bucketKey(String(kept[kept.length - 1]?.time), granularity) === now;
  return { totals, series, granularity, rows: kept, partialLast };
}
