import type { QueryResult, QuerySpec } from "../api/types.ts";
import type { Visual } from "../boards/model.ts";
import { TimeSeries } from "../charts/TimeSeries.tsx";
import { useHeight } from "../charts/useWidth.ts";
import { valueLabel } from "../state/dimensions.ts";
import { bucketKey, currentBucket, type Granularity } from "../state/periods.ts";
import { metricColumns, num } from "./format.ts";

/**
 * Lines (or areas) over time with the dashboard's own chart: several metrics as several lines,
 * or one metric broken down into a line per value (the top N by total).
 */
export function SeriesVisual({
  spec,
  result,
  visual,
}: {
  spec: QuerySpec;
  result: QueryResult;
  visual: Visual;
}) {
  const [box, height] = useHeight<HTMLDivElement>(220);
  const granularity = (spec.granularity ?? "day") as Granularity;
  const now = currentBucket(granularity, spec.tz);
  const metrics = metricColumns(result, spec.metrics);
  const first = metrics[0];
  if (!first) return null;
  const colors = visual.options?.colors ?? [];
  const dimension = spec.dimensions?.[0];
  const within = (label: string) => bucketKey(label, granularity) <= now;

  let labels: string[];
  let lines: { name: string; values: (number | null)[] }[];
  if (!dimension) {
    const rows = result.rows.filter((r) => within(String(r.time)));
    labels = rows.map((r) => String(r.time));
    lines = metrics.map((m) => ({ name: m.name, values: rows.map((r) => num(r[m.name])) }));
  } else {
    // One line per value of the breakdown, the biggest first.
    const totals = new Map<string, number>();
    const cells = new Map<string, number>();
    const times = new Set<string>();
    for (const r of result.rows) {
      const t = String(r.time);
      if (!within(t)) continue;
      const v = String(r[dimension] ?? "");
      const n = num(r[first.name]) ?? 0;
      times.add(t);
      totals.set(v, (totals.get(v) ?? 0) + n);
      cells.set(`${t}|${v}`, n);
    }
    labels = [...times].sort();
    const top = [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, visual.options?.topN ?? 5)
      .map(([v]) => v);
    lines = top.map((v) => ({
      name: valueLabel(dimension, v),
      values: labels.map((t) => cells.get(`${t}|${v}`) ?? 0),
    }));
  }
  const [main, ...others] = lines;
  if (!main) return null;
  const partialLast =
    labels.length > 0 && bucketKey(labels[labels.length - 1] ?? "", granularity) === now;
  const comparison = !dimension ? result.comparison?.rows : undefined;
  return (
    <div ref={box} className="series-visual">
      <TimeSeries
        labels={labels}
        values={main.values}
        series={others.map((l, i) => ({ ...l, color: colors[i + 1] }))}
        color={colors[0]}
        comparison={comparison?.map((r) => num(r[first.name]))}
        comparisonLabels={comparison?.map((r) => String(r.time))}
        granularity={granularity}
        format={first.format}
        partialLast={partialLast}
        fill={visual.type === "area"}
        seriesName={main.name}
        label={`${lines.map((l) => l.name).join(", ")} by ${granularity}`}
        height={Math.max(140, height - 4)}
      />
    </div>
  );
}
