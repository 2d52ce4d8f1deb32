import type { QueryResult } from "../api/types.ts";
import type { VisualOptions } from "../boards/model.ts";
import { Sparkline } from "../charts/Sparkline.tsx";
import { change, formatCount } from "../lib/format.ts";
import { metricLabel, num } from "./format.ts";

/**
 * The first metric as a big number, with its change against the comparison when there is one
 * and a sparkline when the widget has a time bucket; further metrics in small type below.
 * Thresholds colour the number once it passes them.
 */
export function NumberVisual({
  result,
  trend,
  options,
  formats = [],
  compare,
}: {
  result: QueryResult;
  trend?: QueryResult;
  options?: VisualOptions;
  formats?: ((n: number) => string)[];
  compare?: string;
}) {
  const compareText = compare === "year_earlier" ? "vs a year earlier" : "vs previous period";
  const metrics = result.columns.filter((c) => c.kind === "metric");
  const row = result.rows[0] ?? {};
  const before = result.comparison?.rows[0];
  const [first, ...rest] = metrics;
  if (!first) return null;
  const value = num(row[first.name]);
  const fmt = formats[0] ?? formatCount;
  const delta = change(value, num(before?.[first.name]));
  const passed = [...(options?.thresholds ?? [])]
    .sort((a, b) => a.value - b.value)
    .filter((t) => value !== null && value >= t.value)
    .pop();
  return (
    <div className="number-visual">
      <span
        className="kpi-value number-value"
        data-testid="widget-number"
        data-value={value ?? ""}
        style={passed ? { color: passed.color } : undefined}
      >
        {value === null ? "—" : fmt(value)}
      </span>
      {delta !== null && (
        <span className={`delta ${delta > 0 ? "delta-good" : delta < 0 ? "delta-bad" : ""}`}>
          {delta > 0 ? "↑" : delta < 0 ? "↓" : ""}
          {Math.abs(delta)}% {compareText}
        </span>
      )}
      {trend && <Sparkline values={trend.rows.map((r) => num(r[first.name]))} height={36} />}
      {rest.length > 0 && (
        <dl className="number-rest">
          {rest.map((m, i) => {
            const v = num(row[m.name]);
            return (
              <div key={m.name}>
                <dt>{metricLabel(m.name)}</dt>
                <dd>{v === null ? "—" : (formats[i + 1] ?? formatCount)(v)}</dd>
              </div>
            );
          })}
        </dl>
      )}
    </div>
  );
}
