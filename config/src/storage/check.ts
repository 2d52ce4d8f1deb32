import type { ClickHouseClient } from "@clickhouse/client";
import { DATABASE } from "../clickhouse.ts";
import { dirtyHours, dirtyVisitors, Materializer, WATERMARK_SQL } from "./materialize.ts";
import { ROLLUPS } from "./rollups.ts";
import { sessionRowsFromRaw } from "./sessions.ts";
import { EVENT_TABLES, slotOf, spans, visitorSlots } from "./slots.ts";
import { sqlInstant, sqlString } from "./sql.ts";
import { fillSlots } from "./views.ts";

/**
 * `sightline rollups check|rebuild`: the slots, the hourly rollups and the sessions compared with
 * the raw events they come from, and written again from them. Everything the materializer has
 * not reached yet (past its watermark) is left out of the check: reports read it raw anyway.
 */
export interface TimeRange {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  site?: string;
}

export interface Mismatch {
  site_id: string;
  /** The hour (slots, rollups) or day (sessions), `YYYY-MM-DD hh:mm:ss` UTC. */
  at: string;
  /** session_slots, sessions or a rollup table. */
  table: string;
  /** What the raw events give. */
  source: number;
  /** What the table holds in step with them. */
  stored: number;
}

function conditions(range: TimeRange, column: string) {
  const site = range.site === undefined ? "1" : `site_id = ${sqlString(range.site)}`;
  return `${column} >= ${sqlInstant(range.from)} AND ${column} < ${sqlInstant(range.to)} AND ${site}`;
}

/** Visitor half hours in the raw events that the slots miss or hold differently. */
function slotsCheck(range: TimeRange): string {
  const raw = EVENT_TABLES.map(
    (t) => `SELECT site_id, is_bot, visitor, ${slotOf("ts")} AS slot, ts FROM ${DATABASE}.${t}
      WHERE ${conditions(range, "ts")}`,
  ).join(" UNION ALL ");
  return `SELECT site_id, toString(toStartOfHour(slot)) AS at, 'session_slots' AS table,
      count() AS source, countIf(s.f = r.f AND s.l = r.l) AS stored
    FROM (SELECT site_id, is_bot, visitor, slot, min(ts) AS f, max(ts) AS l FROM (${raw})
          GROUP BY site_id, is_bot, visitor, slot) AS s
    LEFT JOIN (
      SELECT site_id, is_bot, visitor, slot, min(first_ts) AS f, max(last_ts) AS l
      FROM ${DATABASE}.session_slots WHERE ${conditions(range, "slot")}
      GROUP BY site_id, is_bot, visitor, slot
    ) AS r USING (site_id, is_bot, visitor, slot)
    GROUP BY site_id, at
    HAVING source != stored`;
}

/** Hours where a rollup's event (and pageview) counts differ from the raw events'. */
function rollupCheck(table: string, measure: "events" | "pageviews", range: TimeRange): string {
  const count =
    measure === "events" ? "uniqExact(event_id)" : "uniqExactIf(event_id, name = 'pageview')";
  return `SELECT site_id, toString(hour) AS at, '${table}.${measure}' AS table, s.n AS source, r.n AS stored
    FROM (
      SELECT site_id, toStartOfHour(toDateTime(ts)) AS hour, ${count} AS n FROM ${DATABASE}.events
      WHERE is_bot = 0 AND ${conditions(range, "ts")} GROUP BY site_id, hour
    ) AS s
    FULL OUTER JOIN (
      SELECT site_id, hour, sum(${measure}) AS n FROM ${DATABASE}.${table} FINAL
      WHERE ${conditions(range, "hour")} GROUP BY site_id, hour
    ) AS r USING (site_id, hour)
    WHERE s.n != r.n AND (site_id, hour) NOT IN (${dirtyHours(WATERMARK_SQL)})`;
}

/**
 * Days where the stored sessions that start then differ from the sessions the slots and raw
 * events give now (number, times, pageviews, events, entry and exit page).
 */
function sessionsCheck(range: TimeRange): string {
  const visitors = `SELECT DISTINCT site_id, is_bot, visitor FROM ${DATABASE}.session_slots
    WHERE ${conditions(range, "slot")}`;
  const fresh = `SELECT * FROM (${spans(visitorSlots(visitors, "toDateTime64(0, 3, 'UTC')"))})
    WHERE ${conditions(range, "first_ts")}`;
  const keys = ["site_id", "is_bot", "visitor", "first_ts"];
  const compared = ["last_ts", "pageviews", "events", "entry_page", "exit_page"];
  const pending = dirtyVisitors(WATERMARK_SQL);
  return `SELECT site_id, toString(toStartOfDay(first_ts)) AS at, 'sessions' AS table,
      countIf(s.found) AS source, countIf(s.found AND r.found AND ${compared.map((c) => `s.${c} = r.${c}`).join(" AND ")}) AS stored
    FROM (
      SELECT ${[...keys, ...compared].join(", ")}, 1 AS found
      FROM (${sessionRowsFromRaw(fresh, visitors, conditions(range, "ts"))})
    ) AS s
    FULL OUTER JOIN (
      SELECT ${[...keys, ...compared].join(", ")}, 1 AS found FROM ${DATABASE}.sessions FINAL
      WHERE ${conditions(range, "first_ts")}
    ) AS r USING (${keys.join(", ")})
    WHERE (site_id, is_bot, visitor) NOT IN (${pending})
    GROUP BY site_id, at
    HAVING source != stored OR countIf(r.found AND NOT s.found) > 0`;
}

/** Where the slots, rollups and sessions differ from the raw events; empty when all are in step. */
export async function checkStorage(
  client: ClickHouseClient,
  range: TimeRange,
): Promise<Mismatch[]> {
  const checks = [
    slotsCheck(range),
    ...ROLLUPS.flatMap((r) =>
      (["events", "pageviews"] as const)
        .filter((m) => (r.measures as readonly string[]).includes(m))
        .map((m) => rollupCheck(r.table, m, range)),
    ),
    sessionsCheck(range),
  ];
  const out: Mismatch[] = [];
  for (const query of checks) {
    const rs = await client.query({ query, format: "JSONEachRow" });
    for (const r of await rs.json<Mismatch>()) {
      out.push({ ...r, source: Number(r.source), stored: Number(r.stored) });
    }
  }
  return out.sort((a, b) => (a.site_id + a.at + a.table).localeCompare(b.site_id + b.at + b.table));
}

/**
 * Writes the slots of the range again from the raw events (repairing rows a view missed, say after
 * a crash between an insert and its views), which marks them for the materializer; with
 * `materialize`, runs it until the range's sessions and rollups are written again too.
 */
export async function rebuildStorage(
  client: ClickHouseClient,
  range: TimeRange,
  options: { materialize?: boolean; log?: (line: string) => void } = {},
): Promise<void> {
  const site = range.site === undefined ? "1" : `site_id = ${sqlString(range.site)}`;
  await fillSlots(
    client,
    options.log,
    `ts >= ${sqlInstant(range.from)} AND ts < ${sqlInstant(range.to)} AND ${site}`,
  );
  if (options.materialize) await new Materializer({ client, log: options.log }).drain();
}
