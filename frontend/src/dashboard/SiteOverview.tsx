import { lazy, Suspense } from "react";
import { errorMessage } from "../api/client.ts";
import { type DailyStatsParams, useDailyStats } from "../api/queries.ts";
import { ErrorBoundary } from "../ui/ErrorBoundary.tsx";
import { ErrorNotice, Loading } from "../ui/Notice.tsx";
import { parseLocalDate } from "./dateRange.ts";
import { KpiCard } from "./KpiCard.tsx";

// ECharts is most of the bundle's weight; loading it on demand keeps the sign-in screen light.
const DailyChart = lazy(() => import("./DailyChart.tsx").then((m) => ({ default: m.DailyChart })));

const rangeFormat = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  year: "numeric",
});

function describeRange(from: string, to: string): string {
  const start = parseLocalDate(from);
  const end = parseLocalDate(to);
  return start && end ? rangeFormat.formatRange(start, end) : `${from} – ${to}`;
}

/** KPIs and the daily chart for one site and range. */
export function SiteOverview({ query }: { query: DailyStatsParams }) {
  const stats = useDailyStats(query);
  const data = stats.data;
  const rangeText = describeRange(query.from, query.to);

  if (stats.isError) {
    return <ErrorNotice message={errorMessage(stats.error)} onRetry={() => stats.refetch()} />;
  }

  return (
    <>
      <div className="kpis">
        <KpiCard label="Visitors" value={data?.totals.visitors} testId="kpi-visitors" />
        <KpiCard label="Pageviews" value={data?.totals.pageviews} testId="kpi-pageviews" />
      </div>
      <section className="card chart-card" aria-labelledby="chart-title">
        <div className="card-head">
          <h2 id="chart-title">Daily traffic</h2>
          <span className="muted">
            {rangeText} · {query.tz}
          </span>
        </div>
        {data && data.totals.pageviews === 0 && (
          <p className="muted">No pageviews in this range yet.</p>
        )}
        <ErrorBoundary
          fallback={
            <ErrorNotice message="The chart could not be loaded. Reload the page to try again." />
          }
        >
          <Suspense
            fallback={
              <div className="chart-frame">
                <div className="chart chart-veil">
                  <Loading>Loading chart…</Loading>
                </div>
              </div>
            }
          >
            <DailyChart days={data?.days} label={`Daily pageviews and visitors, ${rangeText}`} />
          </Suspense>
        </ErrorBoundary>
      </section>
    </>
  );
}
