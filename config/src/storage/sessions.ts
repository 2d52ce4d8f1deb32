import { DATABASE } from "../clickhouse.ts";

/**
 * One row per session (sightline.sessions): a visitor's events on one site until more than the
 * session timeout passes without one (the spans of ./slots.ts). The materializer writes them;
 * reports read them, and derive from raw events only the sessions of visitors whose newest events
 * are not materialized yet (the same SQL, below).
 */

/** What a session takes from its first event (by time, then event id). */
export const FIRST_EVENT_COLUMNS = [
  "hostname",
  "referrer",
  "referrer_domain",
  "channel",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "country",
  "region",
  "city",
  "browser",
  "browser_version",
  "os",
  "os_version",
  "device",
  "language",
] as const;

/** The columns of a session row, in table order, besides `version` and `deleted`. */
export const SESSION_COLUMNS = [
  "site_id",
  "is_bot",
  "visitor",
  "first_ts",
  "last_ts",
  "pageviews",
  "events",
  "entry_page",
  "exit_page",
  "pages",
  "names",
  ...FIRST_EVENT_COLUMNS,
] as const;

export type SessionColumnName = (typeof SESSION_COLUMNS)[number];

/**
 * Session rows computed from raw events for the spans `spansSql` yields (site_id, is_bot, visitor,
 * first_ts, last_ts, ...) of the visitors `visitorsSql` yields (site_id, is_bot, visitor): each
 * span's events (humans and bots, copies of one event id counted once), its pageviews in time order
 * (entry, exit, and the pages with reloads of one page collapsed), its event names and its first
 * event's attributes. `rawWhere` bounds the raw read in time (our SQL).
 */
export function sessionRowsFromRaw(spansSql: string, visitorsSql: string, rawWhere = "1"): string {
  const first = FIRST_EVENT_COLUMNS.map((c) => `e.${c}`).join(", ");
  const firstOut = FIRST_EVENT_COLUMNS.map((c, i) => `first.${i + 1} AS ${c}`).join(", ");
  return `SELECT site_id, is_bot, visitor, first_ts, last_ts, toUInt32(length(pv)) AS pageviews, events,
    if(empty(pv), '', pv[1].3) AS entry_page, if(empty(pv), '', pv[-1].3) AS exit_page,
    arrayFilter((p, i) -> i = 1 OR p != paths[i - 1], arrayMap(x -> x.3, pv) AS paths, arrayEnumerate(paths)) AS pages,
    names, ${firstOut}
  FROM (
    SELECT s.site_id AS site_id, s.is_bot AS is_bot, s.visitor AS visitor, s.first_ts AS first_ts,
      s.last_ts AS last_ts,
      toUInt32(uniqExact(e.event_id)) AS events,
      arraySort(groupUniqArrayIf((e.ts, e.event_id, e.pathname), e.name = 'pageview')) AS pv_all,
      arrayFilter((x, i) -> indexOf(arrayMap(y -> y.2, pv_all), x.2) = i, pv_all, arrayEnumerate(pv_all)) AS pv,
      groupUniqArray(e.name) AS names,
      argMin((${first}), (e.ts, e.event_id)) AS first
    FROM (
      SELECT site_id, is_bot, visitor, ts, event_id, name, pathname, ${FIRST_EVENT_COLUMNS.join(", ")}
      FROM ${DATABASE}.events_with_bots
      WHERE (site_id, is_bot, visitor) IN (${visitorsSql}) AND ${rawWhere}
    ) AS e
    INNER JOIN (${spansSql}) AS s ON e.site_id = s.site_id AND e.is_bot = s.is_bot AND e.visitor = s.visitor
    WHERE e.ts >= s.first_ts AND e.ts <= s.last_ts
    GROUP BY site_id, is_bot, visitor, first_ts, last_ts
  )`;
}

/** The session rows of the table (latest versions, deletions dropped) matching `where`. */
export function storedSessions(columns: readonly string[], where: string): string {
  return `SELECT ${columns.join(", ")} FROM ${DATABASE}.sessions FINAL WHERE ${where}`;
}
