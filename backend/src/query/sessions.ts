import {
  DATABASE,
  dirtyVisitors,
  SESSION_COLUMNS,
  sessionRowsFromRaw,
  spans,
  visitorSlots,
  WATERMARK_SQL,
} from "@sightline/config";
import { errors } from "../errors.ts";
import { type ResolvedDimension, sessionSql } from "./allowlist.ts";
import { conditionSql, type Leaf, type ParsedFilters, renderFilters } from "./filters.ts";
import type { Params } from "./params.ts";
import { eventsTable, type Scope, scopeCondition } from "./scope.ts";

/**
 * Sessions for reports: rows of sightline.sessions (written by the materializer), except for
 * visitors with events the materializer has not reached yet (past its watermark): their sessions
 * come from their raw events, with the same SQL the materializer uses, so the answer is the same
 * as if everything were materialized. Sessions belong to a range by their start and are measured
 * whole; their attributes (source, place, device) are their first event's.
 */

/** Which sessions a report reads: those that start in the range, or that overlap it. */
export type Within = "start" | "overlap";

function timeCondition(within: Within, start: string, end: string): string {
  return within === "start"
    ? `first_ts >= ${start} AND first_ts < ${end}`
    : `first_ts < ${end} AND last_ts >= ${start}`;
}

/**
 * The session rows of the scope (sites and bots; not its filters) in the range, with `ts` = start
 * for time buckets and local-time dimensions. Every column of a session row is there.
 */
export function sessionSource(
  scope: Scope,
  bounds: { start: string; end: string },
  params: Params,
  within: Within = "start",
): string {
  const inScope = scopeCondition(scope, params);
  const time = timeCondition(within, bounds.start, bounds.end);
  const pending = dirtyVisitors(WATERMARK_SQL, undefined, inScope);
  const recent = `SELECT * FROM (${spans(visitorSlots(pending, WATERMARK_SQL))}) WHERE ${time}`;
  const columns = SESSION_COLUMNS.join(", ");
  return `SELECT ${columns}, first_ts AS ts FROM (
    SELECT ${columns} FROM ${DATABASE}.sessions FINAL
    WHERE ${inScope} AND ${time} AND (site_id, is_bot, visitor) NOT IN (${pending})
    UNION ALL
    SELECT ${columns} FROM (${sessionRowsFromRaw(recent, pending, `ts >= ${within === "start" ? bounds.start : "toDateTime64(0, 3, 'UTC')"}`)})
  )`;
}

/** A session-level SQL for a dimension (arrays join one row per value), or null. */
function sessionDimension(d: ResolvedDimension): string | null {
  const s = d.session;
  if (s && "array" in s) {
    return s.array === "pages" ? "arrayJoin(arrayDistinct(pages))" : "arrayJoin(names)";
  }
  return sessionSql(d);
}

/**
 * One filter condition on a session: its first event's value, its start's local time, whether any
 * page it viewed or event it had matches, or (properties, currency) whether any of its events
 * matches, found by joining those events to their sessions.
 */
function sessionLeaf(
  l: Leaf,
  scope: Scope,
  bounds: { start: string; end: string },
  params: Params,
): string {
  const s = l.dim.session;
  if (s && "array" in s) return `arrayExists(x -> ${conditionSql("x", l.op, l.value)}, ${s.array})`;
  const direct = sessionSql(l.dim);
  if (direct !== null) return conditionSql(direct, l.op, l.value);
  if (l.dim.sessionOnly) throw new Error(`no session column for ${l.dim.name}`);
  // Sessions that hold at least one event matching the condition.
  const source = sessionSource(scope, bounds, params);
  return `(site_id, is_bot, visitor, first_ts) IN (
    SELECT s.site_id, s.is_bot, s.visitor, s.first_ts
    FROM (
      SELECT site_id, is_bot, visitor, ts FROM ${eventsTable(scope.includeBots)}
      WHERE ${scopeCondition(scope, params)} AND ts >= ${bounds.start}
        AND ts <= (SELECT max(last_ts) FROM (${source}))
        AND ${conditionSql(l.dim.sql, l.op, l.value)}
    ) AS e
    ASOF INNER JOIN (SELECT site_id, is_bot, visitor, first_ts, last_ts FROM (${source})) AS s
      ON e.site_id = s.site_id AND e.is_bot = s.is_bot AND e.visitor = s.visitor AND e.ts >= s.first_ts
    WHERE e.ts <= s.last_ts
  )`;
}

export interface SessionFamilyInput {
  scope: Scope;
  bounds: { start: string; end: string };
  params: Params;
  /** The time bucket of `ts` (the session's start), when the query has one. */
  bucket?: string;
  dims: ResolvedDimension[];
  filters: ParsedFilters;
  /** `m<i>` aliases and their SQL over session rows. */
  metrics: { alias: string; sql: string }[];
  /** One row per session: `metrics` are expressions of a session row, not aggregates. */
  perSession?: boolean;
}

/** The aggregate over sessions: one row per bucket and dimension values, with `t`, `d<i>`, `m<i>`. */
export function sessionFamily(input: SessionFamilyInput): string {
  const { scope, bounds, params, dims } = input;
  const keys: string[] = [];
  const selects: string[] = [];
  if (input.bucket) {
    keys.push("t");
    selects.push(`${input.bucket} AS t`);
  }
  for (const [i, d] of dims.entries()) {
    const sql = sessionDimension(d);
    if (sql === null) {
      throw errors.badRequest(
        `body/dimensions: session metrics cannot be grouped by "${d.name}" (it is not a session's: use page, event, a source, place or device dimension)`,
      );
    }
    keys.push(`d${i}`);
    selects.push(`${sql} AS d${i}`);
  }
  // Grouped by a page or event, a session gives a row per page or event; a filter on that same
  // dimension then tests each row's value, not whether any of the session's matches (else the
  // other pages of a matching session would show up as rows the filter excludes).
  const joined = new Map<string, string>();
  for (const [i, d] of dims.entries()) {
    if (d.session && "array" in d.session && !joined.has(d.name)) joined.set(d.name, `d${i}`);
  }
  const where = renderFilters(input.filters, (l) => {
    const alias = joined.get(l.dim.name);
    return alias ? conditionSql(alias, l.op, l.value) : sessionLeaf(l, scope, bounds, params);
  });
  const groupBy = keys.length && !input.perSession ? `\n  GROUP BY ${keys.join(", ")}` : "";
  return `SELECT ${[...selects, ...input.metrics.map((m) => `${m.sql} AS ${m.alias}`)].join(", ")}
  FROM (${sessionSource(scope, bounds, params)})
  WHERE ${where}${groupBy}`;
}

/**
 * Raw events of the scope in the range, each with its session's entry and exit page (`s_entry`,
 * `s_exit`): for event reports filtered or grouped by them. An event belongs to the session of
 * its visitor that started last at or before it.
 */
export function eventsWithSessions(
  scope: Scope,
  table: string,
  where: string,
  columns: readonly string[],
  bounds: { start: string; end: string },
  params: Params,
): string {
  const source = sessionSource(scope, bounds, params, "overlap");
  const wanted = [...new Set(["site_id", "is_bot", "visitor", "ts", ...columns])];
  return `SELECT ${wanted.map((c) => `e.${c} AS ${c}`).join(", ")}, s.entry_page AS s_entry, s.exit_page AS s_exit
    FROM (SELECT ${wanted.join(", ")} FROM ${table} WHERE ${where}) AS e
    ASOF INNER JOIN (SELECT site_id, is_bot, visitor, first_ts, last_ts, entry_page, exit_page FROM (${source})) AS s
      ON e.site_id = s.site_id AND e.is_bot = s.is_bot AND e.visitor = s.visitor AND e.ts >= s.first_ts
    WHERE e.ts <= s.last_ts`;
}
