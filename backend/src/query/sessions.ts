import { SESSION_TIMEOUT_MS } from "@sightline/tracker/rules";

export type SessionColumn = "s_pageviews" | "s_duration" | "s_entry" | "s_exit";

/** Grouped per visitor, not per event. */
const VISITOR_KEYS = new Set(["site_id", "visitor_id"]);

/**
 * One row per visitor: its events as one array sorted by time (`evs`), the session number of
 * each (`nos`), the events split into `sessions`, and `<column>_all`, one value per session, for
 * each wanted column. A hash aggregation per visitor costs about a third of the CPU of the window
 * functions this replaced (three sorts of every event), with the same answers.
 */
function perVisitor(
  from: string,
  where: string,
  columns: ReadonlySet<string>,
  wanted: ReadonlySet<SessionColumn>,
): { carried: string[]; sql: string } {
  // Only what callers read rides along: every column in the arrays is copied and sorted, and the
  // bot flag has done its work in `where`. Path is carried when a caller or a wanted column reads it.
  const needed = new Set<string>(["name", ...columns]);
  if (wanted.has("s_entry") || wanted.has("s_exit")) needed.add("pathname");
  const carried = [
    "ts",
    "event_id",
    ...[...needed].filter(
      (c) => c !== "ts" && c !== "event_id" && c !== "is_bot" && !VISITOR_KEYS.has(c),
    ),
  ];
  // Tuple positions: ts first, so arraySort orders by time (event id breaks ties).
  const at = (c: string) => `.${carried.indexOf(c) + 1}`;
  const pageviewsOf = (s: string) => `arrayFilter(x -> x${at("name")} = 'pageview', ${s})`;
  const perSession: Record<SessionColumn, string> = {
    s_pageviews: `arrayMap(s -> length(arrayDistinct(arrayMap(x -> x${at("event_id")}, ${pageviewsOf("s")}))), sessions)`,
    s_duration: "arrayMap(s -> dateDiff('millisecond', s[1].1, s[-1].1) / 1000, sessions)",
    s_entry: `arrayMap(s -> arrayFirst(x -> x${at("name")} = 'pageview', s)${at("pathname")}, sessions)`,
    s_exit: `arrayMap(s -> arrayLast(x -> x${at("name")} = 'pageview', s)${at("pathname")}, sessions)`,
  };
  const arrays = [...wanted].map((c) => `,\n      ${perSession[c]} AS ${c}_all`).join("");
  const sql = `SELECT site_id, visitor_id, evs,
      arrayCumSum(arrayMap((x, i) -> i = 1 OR dateDiff('millisecond', evs[i - 1].1, x.1) > ${SESSION_TIMEOUT_MS}, evs, arrayEnumerate(evs))) AS nos,
      arraySplit((x, n) -> n, evs, arrayMap((x, i) -> i > 1 AND nos[i] != nos[i - 1], evs, arrayEnumerate(evs))) AS sessions${arrays}
    FROM (
      SELECT site_id, visitor_id, arraySort(groupArray((${carried.join(", ")}))) AS evs
      FROM ${from}
      WHERE ${where}
      GROUP BY site_id, visitor_id
    )`;
  return { carried, sql };
}

/**
 * Events with query-time sessions: the same visitor on the same site, split after 30 minutes of
 * inactivity. Adds `session_no` (per visitor, from 1), and per session whichever of `s_pageviews`,
 * `s_duration` (seconds), `s_entry` and `s_exit` (first and last pageview path) are asked for.
 * Duplicate deliveries of one event count once in `s_pageviews`.
 */
export function sessionized(
  from: string,
  where: string,
  columns: ReadonlySet<string>,
  wanted: ReadonlySet<SessionColumn> = new Set(),
): string {
  const { carried, sql } = perVisitor(from, where, columns, wanted);
  const unfold = [
    "site_id",
    "visitor_id",
    ...carried.map((c, i) => `e.${i + 1} AS ${c}`),
    "session_no",
    ...[...wanted].map((c) => `${c}_all[session_no] AS ${c}`),
  ].join(", ");
  return `SELECT ${unfold}
  FROM (
    ${sql}
  )
  ARRAY JOIN evs AS e, nos AS session_no`;
}

/**
 * One row per session instead of per event, for session metrics with no grouping and no filter:
 * `sp` (the session's pageviews) and `sdur` (its duration in seconds) when wanted.
 */
export function sessionRows(
  from: string,
  where: string,
  columns: ReadonlySet<string>,
  wanted: ReadonlySet<SessionColumn>,
): string {
  const { sql } = perVisitor(from, where, columns, wanted);
  const names: Partial<Record<SessionColumn, string>> = { s_pageviews: "sp", s_duration: "sdur" };
  const joined = [
    ["arrayEnumerate(sessions)", "session_no"],
    ...[...wanted].map((c) => [`${c}_all`, names[c] ?? c]),
  ];
  return `SELECT site_id, visitor_id, ${joined.map(([, name]) => name).join(", ")}
  FROM (
    ${sql}
  )
  ARRAY JOIN ${joined.map(([array, name]) => `${array} AS ${name}`).join(", ")}`;
}

/**
 * The same rows as `sessionRows`, read from the visitor_slots rollup (config/clickhouse 0009):
 * `from` yields one row per visitor and half hour (`first_ts`, `last_ts`, `pageviews`, a set of
 * pageview id hashes). No gap inside a half hour can exceed the session timeout, so sessions are
 * runs of slots, each starting at most 30 minutes after the previous one's last event.
 */
export function slotSessionRows(from: string, where: string): string {
  return `SELECT site_id, visitor_id, sp, sdur
  FROM (
    SELECT site_id, visitor_id,
      arraySplit((x, i) -> i > 1 AND dateDiff('millisecond', slots[i - 1].2, x.1) > ${SESSION_TIMEOUT_MS}, slots, arrayEnumerate(slots)) AS sessions,
      arrayMap(s -> if(length(s) = 1, length(s[1].3), length(arrayDistinct(arrayFlatten(arrayMap(x -> x.3, s))))), sessions) AS sp_all,
      arrayMap(s -> dateDiff('millisecond', s[1].1, s[-1].2) / 1000, sessions) AS sdur_all
    FROM (
      SELECT site_id, visitor_id, arraySort(groupArray((first_ts, last_ts, pageviews))) AS slots
      FROM ${from}
      WHERE ${where}
      GROUP BY site_id, visitor_id
    )
  )
  ARRAY JOIN sp_all AS sp, sdur_all AS sdur`;
}
