import { errorMessage } from "../../api/client.ts";
import { Sparkline } from "../../charts/Sparkline.tsx";
import { change } from "../../lib/format.ts";
import { METRICS, type MetricInfo } from "../../state/metrics.ts";
import { useScope } from "../../state/scope.tsx";
import { ErrorNotice } from "../../ui/Notice.tsx";
import { groupOf, useTopData } from "./topData.ts";

/** Six headline cards; each shows its change and trend, and picks the chart's metric. */
export function TopStats() {
  const { state, go } = useScope();
  const { groups, rowsOf } = useTopData();
  const failed = [groups.counts.totals, groups.sessions.totals].find((q) => q.isError);
  if (failed)
    return <ErrorNotice message={errorMessage(failed.error)} onRetry={() => failed.refetch()} />;
  const compareText = state.compare === "year_earlier" ? "vs a year earlier" : "vs previous period";
  return (
    <div className="kpis">
      {METRICS.map((m) => {
        const { totals } = groups[groupOf(m)];
        const now = totals.data?.rows[0];
        const before = totals.data?.comparison?.rows[0];
        return (
          <Kpi
            key={m.key}
            metric={m}
            value={num(now?.[m.api])}
            previous={num(before?.[m.api])}
            trend={rowsOf(groupOf(m)).map((r) => num(r[m.api]))}
            selected={state.metric === m.key}
            compareText={compareText}
            onSelect={() => go({ metric: m.key }, { replace: true })}
            loading={totals.isPending}
            stale={totals.isPlaceholderData}
            busy={totals.isFetching}
          />
        );
      })}
    </div>
  );
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function Kpi({
  metric,
  value,
  previous,
  trend,
  selected,
  compareText,
  onSelect,
  loading,
  stale,
  busy,
}: {
  metric: MetricInfo;
  value: number | null;
  previous: number | null;
  trend: (number | null)[];
  selected: boolean;
  compareText: string;
  onSelect: () => void;
  loading: boolean;
  stale: boolean;
  busy: boolean;
}) {
  const raw = change(value, previous, metric.points);
  // Rounded first, so a change that reads as 0 is neither up nor down.
  const delta = raw === null ? null : Math.round(raw);
  const good = delta === null || delta === 0 ? null : delta > 0 !== Boolean(metric.lowerIsBetter);
  return (
    <button
      type="button"
      className={`kpi${stale ? " stale" : ""}`}
      aria-pressed={selected}
      aria-busy={busy}
      onClick={onSelect}
      title={`Show ${metric.label.toLowerCase()} in the chart`}
    >
      <span className="kpi-label">{metric.label}</span>
      {loading ? (
        <span className="kpi-value kpi-placeholder">—</span>
      ) : (
        <span className="kpi-value" data-testid={`kpi-${metric.key}`} data-value={value ?? ""}>
          {value === null ? "—" : metric.format(value)}
        </span>
      )}
      <span className="kpi-foot">
        {delta !== null && (
          <span
            className={`delta ${good === null ? "" : good ? "delta-good" : "delta-bad"}`}
            title={previous === null ? undefined : `${metric.format(previous)} ${compareText}`}
          >
            {delta > 0 ? "↑" : delta < 0 ? "↓" : ""}
            {metric.points ? `${Math.abs(delta)} pt` : `${Math.abs(delta)}%`}
          </span>
        )}
        <Sparkline values={trend} />
      </span>
    </button>
  );
}
