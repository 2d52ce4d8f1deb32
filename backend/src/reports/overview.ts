import type { Reader } from "../query/read.ts";
import { runQuery } from "../query/run.ts";
import { resolveRange } from "../query/time.ts";
import type { Granularity } from "../schemas/query.ts";
import type { OverviewBody, OverviewResult } from "../schemas/reports.ts";
import { REALTIME_MINUTES, realtimeVisitors } from "./realtime.ts";
import { reportScope } from "./scope.ts";

// Two queries, not one: counts can come from the hourly rollup, and session metrics alone need one
// row per session rather than per event (src/query/compile.ts).
const COUNTS = ["visitors", "pageviews"] as const;
const SESSIONS = ["sessions", "bounce_rate", "views_per_session", "session_duration"] as const;

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

/**
 * Headline metrics (with comparison), a time series and visitors of the last 5 minutes (as the
 * realtime report counts them, filters included, whatever the range asked); `now` is epoch ms.
 */
export async function overview(
  ch: Reader,
  body: OverviewBody,
  now: number,
): Promise<OverviewResult> {
  const granularity: Granularity = body.granularity ?? (body.from === body.to ? "hour" : "day");
  resolveRange(body, granularity);
  const scope = reportScope(body);
  const [counts, sessions, series, realtime] = await Promise.all([
    runQuery(ch, { ...scope, metrics: [...COUNTS], compare: body.compare }),
    runQuery(ch, { ...scope, metrics: [...SESSIONS], compare: body.compare }),
    runQuery(ch, { ...scope, granularity, metrics: ["visitors", "pageviews"], limit: 10_000 }),
    realtimeVisitors(ch, scope, now),
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
    realtime: { visitors: realtime, minutes: REALTIME_MINUTES },
  };
}
