import { SESSION_TIMEOUT_MS } from "@sightline/tracker/rules";
import { DATABASE } from "../clickhouse.ts";

/**
 * Visitor half hours ("slots"): one row per site, bot flag, visitor and slot with the first and
 * last event time, written by materialized views on both event tables. They are the index that
 * finds where sessions begin and end: no gap inside one slot can exceed the session timeout, so
 * a session is a run of a visitor's slots in which each starts at most SESSION_TIMEOUT_MS after
 * the previous one's last event. This module is the one place that says so; the views, the
 * materializer, the query-time merge of recent data and `sightline rollups check|rebuild` all
 * take the rule from here.
 */

/**
 * The slot width: the longest whole divisor of an hour that is no longer than the session
 * timeout (30 minutes today). No longer than the timeout, so no gap inside a slot splits a
 * session; a divisor of an hour, so every slot lies in one hour of the hourly rollups.
 */
export const SLOT_SECONDS = (() => {
  const limit = Math.floor(SESSION_TIMEOUT_MS / 1000);
  for (let s = Math.min(limit, 3600); s > 1; s--) if (3600 % s === 0) return s;
  return 1;
})();

/** The session timeout in milliseconds, as SQL text (a number we own). */
export const TIMEOUT_MS = String(SESSION_TIMEOUT_MS);

/** The slot (UTC) of an event time expression. */
export const slotOf = (ts: string) =>
  `toDateTime(toStartOfInterval(${ts}, toIntervalSecond(${SLOT_SECONDS})), 'UTC')`;

/** The hour of a slot: every slot lies in one hour (see SLOT_SECONDS). */
export const hourOfSlot = (slot: string) => `toStartOfHour(${slot})`;

/** Both event tables; bots live in bot_events, but rows inserted straight into events keep their flag. */
export const EVENT_TABLES = ["events", "bot_events"] as const;

/**
 * The slot rows of `table`'s events matching `where`, as the views write them (`inserted` is when
 * the row was written: the materializer and the query-time merge find recent changes by it).
 */
export function slotRows(table: (typeof EVENT_TABLES)[number], where = "1"): string {
  return `SELECT site_id, is_bot, visitor, ${slotOf("ts")} AS slot,
    min(ts) AS first_ts, max(ts) AS last_ts, now64(3, 'UTC') AS inserted
  FROM ${DATABASE}.${table}
  WHERE ${where}
  GROUP BY site_id, is_bot, visitor, slot`;
}

/**
 * Sessions as time spans, from slots: one row per session of the visitors `slots` holds, with
 * `first_ts` (its first event time), `last_ts` (its last) and `dirty` (whether any of its slots is).
 * `slots` yields site_id, is_bot, visitor, first_ts, last_ts and dirty (UInt8), one row per slot
 * (already merged). Slots do not overlap in time, so the previous slot's last event is the latest
 * one before a slot.
 */
export function spans(slots: string): string {
  return `SELECT site_id, is_bot, visitor, run.1 AS first_ts, run.2 AS last_ts, run.3 AS dirty
  FROM (
    SELECT site_id, is_bot, visitor,
      arraySort(groupArray((first_ts, last_ts, dirty))) AS s,
      arraySplit((x, i) -> i > 1 AND dateDiff('millisecond', s[i - 1].2, x.1) > ${TIMEOUT_MS}, s, arrayEnumerate(s)) AS runs
    FROM (${slots})
    GROUP BY site_id, is_bot, visitor
  )
  ARRAY JOIN arrayMap(r -> (r[1].1, r[-1].2, toUInt8(arrayMax(arrayMap(x -> x.3, r)))), runs) AS run`;
}

/**
 * Merged slot rows of the visitors `visitors` names (a subquery or set of (site_id, is_bot,
 * visitor)), each marked dirty when it was written at or after `since` (SQL for a DateTime64).
 */
export function visitorSlots(visitors: string, since: string): string {
  return `SELECT site_id, is_bot, visitor, slot, min(first_ts) AS first_ts, max(last_ts) AS last_ts,
      toUInt8(max(inserted) >= ${since}) AS dirty
    FROM ${DATABASE}.session_slots
    WHERE (site_id, is_bot, visitor) IN (${visitors})
    GROUP BY site_id, is_bot, visitor, slot`;
}
