import { DATABASE } from "@sightline/config";

/**
 * Where a query reads its rows from: raw events, or a rollup when it can answer. A source names
 * its table and says which plans it can serve; the compiler renders metrics for the source it
 * gets (a rollup's metrics merge stored states).
 */
export interface Source {
  name: string;
  /** Table text, fixed by our code: human traffic, or humans and bots together. */
  table(includeBots: boolean): string;
  /** Whether the source can collapse duplicate rows of one event id with FINAL. */
  supportsFinal: boolean;
  canAnswer(plan: SourcePlan): boolean;
  /** The condition that leaves bots out, or "1". */
  botCondition(includeBots: boolean): string;
  /** Whether metrics are merged from stored aggregate states. */
  rollup: boolean;
}

export interface SourcePlan {
  /** Raw columns the query touches. */
  columns: ReadonlySet<string>;
  /** Sessions are derived from the event stream, so only an event-level source can serve them. */
  sessions: boolean;
  /** Minute-level buckets, realtime and funnels need raw timestamps. */
  exactTime: boolean;
  includeBots?: boolean;
  /** Every metric has a form that merges rollup states (absent: no). */
  rollupMetrics?: boolean;
  /** The time zone's offset is always a whole number of hours, so hours bucket into its days. */
  wholeHourZone?: boolean;
  /** Only session metrics, ungrouped and unfiltered: one row per session is all the query needs. */
  sessionTotals?: boolean;
}

export const RAW_EVENTS: Source = {
  name: "events",
  // Shippers route bots to bot_events; events_with_bots is a Merge table over both.
  table: (includeBots) => `${DATABASE}.${includeBots ? "events_with_bots" : "events"}`,
  supportsFinal: true,
  canAnswer: () => true,
  botCondition: (includeBots) => botCondition(includeBots),
  rollup: false,
};

/** Columns the hourly rollup keeps (besides its states). */
const HOURLY_COLUMNS = new Set(["site_id", "ts", "name", "event_id", "visitor_id", "is_bot"]);

/**
 * The hourly rollup (config/clickhouse 0005, human traffic only): uniqExact states of event ids
 * and visitor ids per site, hour and event name. Exposed with `hour` as `ts`, so range and bucket
 * expressions are the same as on raw events.
 */
export const EVENTS_HOURLY: Source = {
  name: "events_hourly",
  table: () =>
    `(SELECT site_id, hour AS ts, name, events, visitors FROM ${DATABASE}.events_hourly)`,
  supportsFinal: false,
  canAnswer: (plan) =>
    !plan.sessions &&
    !plan.exactTime &&
    !plan.includeBots &&
    plan.rollupMetrics === true &&
    plan.wholeHourZone === true &&
    [...plan.columns].every((c) => HOURLY_COLUMNS.has(c)),
  botCondition: () => "1",
  rollup: true,
};

/**
 * Each visitor's half hours (config/clickhouse 0009, human traffic only): first and last event
 * time and pageview id hashes, for session totals (src/query/sessions.ts `slotSessionRows`).
 * FINAL folds rows of one visitor and half hour that sit in unmerged parts. Exposed with `slot`
 * as `ts`: ranges start and end on whole hours in a whole-hour zone, so slots fall wholly in or out.
 */
export const VISITOR_SLOTS: Source = {
  name: "visitor_slots",
  table: () =>
    `(SELECT site_id, visitor_id, slot AS ts, first_ts, last_ts, pageviews FROM ${DATABASE}.visitor_slots FINAL)`,
  supportsFinal: false,
  // Session totals have no time buckets, so no minute buckets either.
  canAnswer: (plan) =>
    plan.sessionTotals === true &&
    !plan.includeBots &&
    plan.wholeHourZone === true &&
    [...plan.columns].every((c) => HOURLY_COLUMNS.has(c)),
  botCondition: () => "1",
  // Rows, not stored aggregate states: session metrics are computed over them (sessions.ts).
  rollup: false,
};

/** Sources in order of preference: cheaper ones first. */
const SOURCES: Source[] = [EVENTS_HOURLY, VISITOR_SLOTS, RAW_EVENTS];

export function chooseSource(plan: SourcePlan): Source {
  return SOURCES.find((s) => s.canAnswer(plan)) ?? RAW_EVENTS;
}

/**
 * The one place that says which rows are bots: the collector flags them with is_bot, and the
 * shippers route them to bot_events (see `table`). Rows inserted straight into events still
 * carry the flag, so human reports check it too.
 */
export function botCondition(includeBots: boolean): string {
  return includeBots ? "1" : "is_bot = 0";
}
