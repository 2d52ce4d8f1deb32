import { baseCondition } from "../query/compile.ts";
import { Params } from "../query/params.ts";
import { type Reader, readReport } from "../query/read.ts";
import { runQuery } from "../query/run.ts";
import { RAW_EVENTS } from "../query/source.ts";
import { resolveRange } from "../query/time.ts";
import type { Granularity } from "../schemas/query.ts";
import type { OverviewBody, OverviewResult } from "../schemas/reports.ts";
import { reportScope } from "./scope.ts";

// Two queries, not one: counts can come from the hourly rollup, and session metrics alone need one
// row per session rather than per event (src/query/compile.ts).
const COUNTS = ["visitors", "pageviews"] as const;
const SESSIONS = ["sessions", "bounce_rate", "views_per_session", "session_duration"] as const;
const REALTIME_MINUTES = 5;

type Totals = OverviewResult["totals"];
type Row = Record<string, string | number | null>;

function totals(row: Row | undefined): Totals {
  const n = (k: string) => (row?.[k] === null || row?.[k] === undefined ? null : Number(row[k]));
  return {
    visitors: n("visitors") ?? 0,
    pageviews: n("pageviews") ?? 0,
    sessions: n("sessions") ?? 0,
    bounce_rate: n("bounce_rate"),
    views_per_session: n("views_per_session"),
    session_duration: n("session_duration"),
  };
}

/** Headline metrics (with comparison), a time series and visitors of the last 5 minutes. */
export async function overview(ch: Reader, body: OverviewBody): Promise<OverviewResult> {
  const granularity: Granularity = body.granularity ?? (body.from === body.to ? "hour" : "day");
  resolveRange(body, granularity);
  const scope = reportScope(body);
  const [counts, sessions, series, realtime] = await Promise.all([
    runQuery(ch, { ...scope, metrics: [...COUNTS], compare: body.compare }),
    runQuery(ch, { ...scope, metrics: [...SESSIONS], compare: body.compare }),
    runQuery(ch, { ...scope, granularity, metrics: ["visitors", "pageviews"], limit: 10_000 }),
    realtimeVisitors(ch, body),
  ]);
  const both = (a: Row | undefined, b: Row | undefined) => totals({ ...a, ...b });
  return {
    from: counts.from,
    to: counts.to,
    tz: counts.tz,
    granularity,
    totals: both(counts.rows[0], sessions.rows[0]),
    ...(counts.comparison
      ? {
          comparison: {
            from: counts.comparison.from,
            to: counts.comparison.to,
            totals: both(counts.comparison.rows[0], sessions.comparison?.rows[0]),
          },
        }
      : {}),
    series: series.rows.map((r) => ({
      time: String(r.time),
      visitors: Number(r.visitors ?? 0),
      pageviews: Number(r.pageviews ?? 0),
    })),
    realtime: { visitors: await realtime, minutes: REALTIME_MINUTES },
  };
}

/** Distinct visitors with any event in the last 5 minutes, whatever the range asked. */
async function realtimeVisitors(
  ch: Reader,
  body: Pick<OverviewBody, "sites" | "includeBots">,
): Promise<number> {
  const params = new Params();
  const today = new Date().toISOString().slice(0, 10);
  const where = baseCondition(
    { sites: body.sites, includeBots: body.includeBots },
    // Only the site and bot parts matter; the time condition below is narrower.
    {
      from: today,
      to: today,
      tz: "UTC",
      start: "1970-01-01 00:00:00",
      end: "2200-01-01 00:00:00",
      days: 1,
    },
    params,
  );
  const rows = await readReport<{ visitors: number | string }>(
    ch,
    `SELECT uniqExact(visitor_id) AS visitors FROM ${RAW_EVENTS.table(body.includeBots ?? false)}
WHERE ${where} AND ts >= now64(3) - toIntervalMinute(${params.bind(REALTIME_MINUTES, "UInt32")})`,
    params.values,
  );
  return Number(rows[0]?.visitors ?? 0);
}
