import { DIMENSIONS } from "../query/allowlist.ts";
import { filteredEvents, type Scope } from "../query/compile.ts";
import { compileFilters } from "../query/filters.ts";
import { compileMetric, renderAtom } from "../query/metrics.ts";
import { Params } from "../query/params.ts";
import { type Reader, readReport } from "../query/read.ts";
import { instantRange, instantSql } from "../query/time.ts";
import type { RealtimeBody, RealtimeResult } from "../schemas/reports.ts";

/** "Right now" on the dashboard: visitors with any event in the last this many minutes. */
export const REALTIME_MINUTES = 5;
/** The realtime chart: this many whole minutes before the current one, and the current one. */
export const REALTIME_CHART_MINUTES = 30;
const TOP = 10;
const MINUTE_MS = 60_000;

/** Raw columns the realtime queries read (sessions carry them when a filter needs sessions). */
const COLUMNS = new Set([
  "ts",
  "event_id",
  "name",
  "visitor_id",
  "pathname",
  "referrer_domain",
  "channel",
]);

/** A dimension's SQL from the allowlist, so "page" means here what it means in every report. */
function dimensionSql(name: string): string {
  const sql = DIMENSIONS[name]?.sql;
  // Only plain columns are read here (page, source), never a local-time dimension.
  if (typeof sql !== "string") throw new Error(`no plain dimension ${name}`);
  return sql;
}

/**
 * FROM and WHERE for the chart's whole span (the last 30 whole minutes and the current one) in the
 * scope, plus the condition of the last 5 minutes. Every realtime number reads these, so
 * entry and exit page filters see the same sessions in all of them.
 */
function lastHalfHour(scope: Scope, params: Params, now: number) {
  const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  const start = minute - REALTIME_CHART_MINUTES * MINUTE_MS;
  // Up to the end of the current minute: an event the collector stamped a moment after `now`
  // still counts.
  const range = instantRange(start, minute + MINUTE_MS);
  const filters = compileFilters(scope.filters, params);
  const { from, where } = filteredEvents(scope, range, params, filters, COLUMNS, {
    exactTime: true,
  });
  const recent = `ts >= ${instantSql(now - REALTIME_MINUTES * MINUTE_MS, params)}`;
  return { from, where, recent, start };
}

const metric = (name: "visitors" | "pageviews", params: Params) => {
  const m = compileMetric(name, name, params);
  return m.combine(m.atoms.map(renderAtom));
};

/** Distinct visitors with any event in the last 5 minutes; the overview's number too. */
export async function realtimeVisitors(ch: Reader, scope: Scope, now: number): Promise<number> {
  const params = new Params();
  const w = lastHalfHour(scope, params, now);
  const rows = await readReport<{ visitors: number | string }>(
    ch,
    `SELECT ${metric("visitors", params)} AS visitors FROM ${w.from} WHERE ${w.where} AND ${w.recent}`,
    params.values,
  );
  return Number(rows[0]?.visitors ?? 0);
}

/** Visitors and pageviews per minute, every minute of the chart present (empty ones 0). */
async function minutes(ch: Reader, scope: Scope, now: number) {
  const params = new Params();
  const w = lastHalfHour(scope, params, now);
  const rows = await readReport<{ t: number | string; visitors: number; pageviews: number }>(
    ch,
    `SELECT toUnixTimestamp(toStartOfMinute(ts)) AS t, ${metric("visitors", params)} AS visitors,
  ${metric("pageviews", params)} AS pageviews
FROM ${w.from} WHERE ${w.where}
GROUP BY t`,
    params.values,
  );
  const found = new Map(rows.map((r) => [Number(r.t) * 1000, r]));
  return Array.from({ length: REALTIME_CHART_MINUTES + 1 }, (_, i) => {
    const at = w.start + i * MINUTE_MS;
    const row = found.get(at);
    return {
      time: new Date(at).toISOString(),
      visitors: Number(row?.visitors ?? 0),
      pageviews: Number(row?.pageviews ?? 0),
    };
  });
}

/** The top 10 values of `key` (an expression of our own) by visitors of the last 5 minutes. */
async function top(ch: Reader, scope: Scope, now: number, key: string) {
  const params = new Params();
  const w = lastHalfHour(scope, params, now);
  const rows = await readReport<{ key: string; visitors: number | string }>(
    ch,
    `SELECT ${key} AS key, ${metric("visitors", params)} AS visitors
FROM ${w.from} WHERE ${w.where} AND ${w.recent}
GROUP BY key ORDER BY visitors DESC, key ASC LIMIT ${params.bind(TOP, "UInt32")}`,
    params.values,
  );
  return rows.map((r) => ({ key: String(r.key), visitors: Number(r.visitors) }));
}

/**
 * Who is on the site now: visitors of the last 5 minutes, a per-minute chart of the last half
 * hour, and the top pages and sources of the last 5 minutes. Times are minutes in UTC.
 */
export async function realtime(
  ch: Reader,
  body: RealtimeBody,
  now: number,
): Promise<RealtimeResult> {
  const scope: Scope = { sites: body.sites, includeBots: body.includeBots, filters: body.filters };
  // A source is the referring domain, or the channel (direct, …) when there is none.
  const referrer = dimensionSql("referrer_domain");
  const source = `if(${referrer} = '', ${dimensionSql("channel")}, ${referrer})`;
  const [visitors, chart, pages, sources] = await Promise.all([
    realtimeVisitors(ch, scope, now),
    minutes(ch, scope, now),
    top(ch, scope, now, dimensionSql("page")),
    top(ch, scope, now, source),
  ]);
  return {
    visitors,
    minutes: chart,
    pages: pages.map((r) => ({ page: r.key, visitors: r.visitors })),
    sources: sources.map((r) => ({ source: r.key, visitors: r.visitors })),
  };
}
