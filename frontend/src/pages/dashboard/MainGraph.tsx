import { TimeSeries } from "../../charts/TimeSeries.tsx";
import { metricInfo } from "../../state/metrics.ts";
import type { Granularity } from "../../state/periods.ts";
import { useScope } from "../../state/scope.tsx";
import { QueryState } from "../../ui/Panel.tsx";
import { groupOf, useTopData } from "./topData.ts";

const GRANULARITY_LABELS: Record<Granularity, string> = {
  minute: "Minutes",
  hour: "Hours",
  day: "Days",
  week: "Weeks",
  month: "Months",
};

/** The chosen metric over the period, bucketed as the range suits, with the comparison line. */
export function MainGraph() {
  const { state, go, resolved } = useScope();
  const { groups, granularity, rowsOf, partialLast: isPartial } = useTopData();
  const metric = metricInfo(state.metric);
  const { series } = groups[groupOf(metric)];
  const rows = rowsOf(groupOf(metric));
  const partialLast = isPartial(rows);
  const comparison = series.data?.comparison?.rows;
  return (
    <div className="main-graph">
      <div className="card-head">
        <h2>{metric.label}</h2>
        <label className="granularity">
          <span className="visually-hidden">Bucket size</span>
          <select
            name="granularity"
            value={granularity}
            onChange={(e) => go({ granularity: e.target.value as Granularity }, { replace: true })}
          >
            {resolved.granularities.map((g) => (
              <option key={g} value={g}>
                {GRANULARITY_LABELS[g]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <QueryState query={series} loadingText="Loading the chart…">
        {() => (
          <TimeSeries
            labels={rows.map((r) => String(r.time))}
            values={rows.map((r) => (r[metric.api] === null ? null : Number(r[metric.api])))}
            comparison={comparison?.map((r) =>
              r[metric.api] === null ? null : Number(r[metric.api]),
            )}
            comparisonLabels={comparison?.map((r) => String(r.time))}
            granularity={granularity}
            format={metric.format}
            integer={metric.integer}
            partialLast={partialLast}
            label={`${metric.label} by ${granularity}, ${resolved.label}`}
            seriesName={resolved.label}
            comparisonName={state.compare === "year_earlier" ? "A year earlier" : "Previous period"}
          />
        )}
      </QueryState>
    </div>
  );
}
