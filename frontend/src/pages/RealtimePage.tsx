import { useReport } from "../api/reports.ts";
import type { Realtime } from "../api/types.ts";
import { TimeSeries } from "../charts/TimeSeries.tsx";
import { formatCount } from "../lib/format.ts";
import { Link } from "../router.ts";
import { valueLabel } from "../state/dimensions.ts";
import { withFilter } from "../state/filters.ts";
import { wallClock } from "../state/periods.ts";
import { useScope } from "../state/scope.tsx";
import { Empty } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import { FilterBar } from "./toolbar/FilterBar.tsx";

const REFRESH_MS = 10_000;

/** The last 30 minutes by minute, who is here now and what they read; refreshed every 10 s. */
export default function RealtimePage() {
  const { range, filters, tz, state, href } = useScope();
  const live = useReport<Realtime>(
    "realtime",
    { sites: range.sites, filters },
    { refetchInterval: REFRESH_MS },
  );
  const data = live.data;
  // Minute labels in the site's own clock, whatever zone the server answered in.
  const local = (iso: string) =>
    new Date(wallClock(tz, Date.parse(iso))).toISOString().slice(0, 16);
  return (
    <>
      <div className="toolbar">
        <FilterBar />
        <div className="toolbar-right">
          <span className="live">
            <span className="live-dot" aria-hidden="true" /> Live · updates every 10 seconds
          </span>
        </div>
      </div>
      <section className="card top-card" aria-labelledby="realtime-title">
        <div className="realtime-head">
          <h1 id="realtime-title" className="kpi-label">
            Current visitors
          </h1>
          <span
            className="kpi-value"
            data-testid="realtime-visitors"
            data-value={data?.visitors ?? ""}
          >
            {data ? formatCount(data.visitors) : "—"}
          </span>
          <span className="muted">in the last 5 minutes</span>
        </div>
        <QueryState query={live}>
          {() => (
            <TimeSeries
              labels={(data?.minutes ?? []).map((m) => local(m.time))}
              values={(data?.minutes ?? []).map((m) => m.pageviews)}
              granularity="minute"
              format={formatCount}
              integer
              partialLast
              label="Pageviews per minute, the last 30 minutes"
              seriesName="Pageviews"
              height={220}
            />
          )}
        </QueryState>
      </section>
      <div className="panels">
        <section className="card panel" aria-labelledby="now-pages">
          <div className="panel-head">
            <h2 id="now-pages">Pages viewed now</h2>
          </div>
          <div className="panel-columns" aria-hidden="true">
            <span>Page</span>
            <span>Visitors</span>
          </div>
          <QueryState query={live}>
            {() =>
              data?.pages.length ? (
                <NowList
                  rows={data.pages.map((p) => ({ value: p.page, n: p.visitors }))}
                  dimension="page"
                  linkFor={(value) =>
                    href({
                      filters: withFilter(state.filters, { dimension: "page", op: "is", value }),
                    })
                  }
                />
              ) : (
                <Empty>Nobody is on the site right now.</Empty>
              )
            }
          </QueryState>
        </section>
        <section className="card panel" aria-labelledby="now-sources">
          <div className="panel-head">
            <h2 id="now-sources">Sources now</h2>
          </div>
          <div className="panel-columns" aria-hidden="true">
            <span>Source</span>
            <span>Visitors</span>
          </div>
          <QueryState query={live}>
            {() =>
              data?.sources.length ? (
                <NowList
                  rows={data.sources.map((s) => ({ value: s.source, n: s.visitors }))}
                  dimension="referrer_domain"
                />
              ) : (
                <Empty>No visitors in the last 5 minutes.</Empty>
              )
            }
          </QueryState>
        </section>
      </div>
    </>
  );
}

function NowList({
  rows,
  dimension,
  linkFor,
}: {
  rows: { value: string; n: number }[];
  dimension: string;
  linkFor?: (value: string) => string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.n));
  return (
    <ul className="bars">
      {rows.map((r) => (
        <li key={r.value} className="bar-row" data-testid="bar-row" data-value={r.n}>
          <span className="bar" style={{ width: `${(r.n / max) * 100}%` }} aria-hidden="true" />
          {linkFor ? (
            <Link className="bar-label" to={linkFor(r.value)}>
              {valueLabel(dimension, r.value)}
            </Link>
          ) : (
            <span className="bar-label">{valueLabel(dimension, r.value)}</span>
          )}
          <span className="bar-value">{formatCount(r.n)}</span>
        </li>
      ))}
    </ul>
  );
}
