import { BASE_COLUMNS } from "./allowlist.ts";

/** 30 minutes without an event ends a session. */
export const SESSION_GAP_MS = 30 * 60 * 1000;

const VISITOR_ORDER =
  "PARTITION BY site_id, visitor_id ORDER BY ts, event_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW";

export type SessionColumn = "s_pageviews" | "s_duration" | "s_entry" | "s_exit";

/** Per-session columns, each a window over the session; only the ones a query reads are built. */
const SESSION_COLUMNS: Record<SessionColumn, string> = {
  s_pageviews: "uniqExactIf(event_id, name = 'pageview') OVER s",
  s_duration: "dateDiff('millisecond', min(ts) OVER s, max(ts) OVER s) / 1000",
  s_entry: "argMinIf(pathname, ts, name = 'pageview') OVER s",
  s_exit: "argMaxIf(pathname, ts, name = 'pageview') OVER s",
};

/**
 * Events with query-time sessions: the same visitor on the same site, split after 30 minutes of
 * inactivity. Adds `session_no` (per visitor), and per session whichever of `s_pageviews`,
 * `s_duration` (seconds), `s_entry` and `s_exit` (first and last pageview path) are asked for.
 * Duplicate deliveries of one event sit next to each other (same ts), so they never split or
 * stretch a session.
 */
export function sessionized(
  from: string,
  where: string,
  columns: ReadonlySet<string>,
  wanted: ReadonlySet<SessionColumn> = new Set(),
): string {
  const cols = [...new Set([...BASE_COLUMNS, "pathname", ...columns])].join(", ");
  const extra = [...wanted].map((c) => `,\n    ${SESSION_COLUMNS[c]} AS ${c}`).join("");
  const windowed = `SELECT *, sum(s_new) OVER (${VISITOR_ORDER}) AS session_no
    FROM (
      SELECT ${cols},
        if(dateDiff('millisecond', lagInFrame(ts, 1, toDateTime64(0, 3, 'UTC')) OVER (${VISITOR_ORDER}), ts) > ${SESSION_GAP_MS}, 1, 0) AS s_new
      FROM ${from}
      WHERE ${where}
    )`;
  if (!extra) return windowed;
  return `SELECT *${extra}
  FROM (
    ${windowed}
  )
  WINDOW s AS (PARTITION BY site_id, visitor_id, session_no)`;
}
