import { lazy, Suspense } from "react";
import { useQueryApi } from "../api/reports.ts";
import type { Row } from "../api/types.ts";
import { Link } from "../router.ts";
import { valueLabel } from "../state/dimensions.ts";
import { withFilter } from "../state/filters.ts";
import { useScope } from "../state/scope.tsx";
import { ErrorBoundary } from "../ui/ErrorBoundary.tsx";
import { Empty, ErrorNotice, Loading } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import { type EffectiveTab, tabSpec } from "./tabs.ts";

const WorldMap = lazy(() => import("../charts/WorldMap.tsx"));

export const TOP = 10;

/** A tab's top rows: a bar per value sized by the first metric; a click filters the dashboard. */
export function ReportList({ tab }: { tab: EffectiveTab }) {
  const { range, filters } = useScope();
  // A list draws its first column only; the other columns (session metrics, the costly ones)
  // are for the details view.
  const query = useQueryApi(
    tabSpec({ ...tab, columns: tab.columns.slice(0, 1) }, range, filters, {
      limit: tab.map ? 250 : TOP,
    }),
  );
  return (
    <QueryState query={query}>
      {() => {
        const rows = query.data?.rows ?? [];
        if (rows.length === 0) return <Empty>{tab.empty}</Empty>;
        if (tab.map) {
          return (
            <ErrorBoundary fallback={<ErrorNotice message="The map could not be loaded." />}>
              <Suspense fallback={<Loading>Loading the map…</Loading>}>
                <MapView tab={tab} rows={rows} />
              </Suspense>
            </ErrorBoundary>
          );
        }
        return <Bars tab={tab} rows={rows} />;
      }}
    </QueryState>
  );
}

function MapView({ tab, rows }: { tab: EffectiveTab; rows: Row[] }) {
  const { state, go } = useScope();
  const first = tab.columns[0];
  return (
    <WorldMap
      values={rows.map((r) => ({
        code: String(r[tab.dimension] ?? ""),
        value: Number(r[first?.key ?? "visitors"] ?? 0),
      }))}
      label={first?.label ?? "Visitors"}
      onPick={(code) => {
        const f = tab.filterFor?.(code);
        if (f) go({ filters: withFilter(state.filters, f), details: null });
      }}
    />
  );
}

export function Bars({ tab, rows }: { tab: EffectiveTab; rows: Row[] }) {
  const { state, href } = useScope();
  const first = tab.columns[0];
  const key = first?.key ?? "visitors";
  const max = Math.max(1, ...rows.map((r) => Number(r[key] ?? 0)));
  return (
    <ul className="bars" aria-label={tab.label}>
      {rows.map((r) => {
        const value = String(r[tab.dimension] ?? "");
        const n = Number(r[key] ?? 0);
        const f = tab.filterFor?.(value) ?? null;
        const text = `${tab.prefix ? `${tab.prefix} ` : ""}${valueLabel(tab.dimension, value)}`;
        return (
          <li key={value} className="bar-row" data-testid="bar-row" data-value={n}>
            <span className="bar" style={{ width: `${(n / max) * 100}%` }} aria-hidden="true" />
            {f ? (
              <Link
                className="bar-label"
                to={href({ filters: withFilter(state.filters, f), details: null })}
                title={`Filter by ${text}`}
              >
                {text}
              </Link>
            ) : (
              <span className="bar-label" title={text}>
                {text}
              </span>
            )}
            <span className="bar-value">{first?.format(n) ?? n}</span>
          </li>
        );
      })}
    </ul>
  );
}
