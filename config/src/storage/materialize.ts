import type { ClickHouseClient } from "@clickhouse/client";
import { DATABASE } from "../clickhouse.ts";
import { ROLLUPS, rollupInsert, rollupSourceColumns } from "./rollups.ts";
import { SESSION_COLUMNS, sessionRowsFromRaw } from "./sessions.ts";
import { spans, visitorSlots } from "./slots.ts";
import { sqlInstant, sqlString } from "./sql.ts";

/**
 * The materializer: turns what the slot views logged into sessions and rollup rows. Each pass takes
 * the slot_log rows written since the watermark (up to LAG_MS ago), recomputes from raw events the
 * sessions those visitors' new slots touch and the hours those slots lie in, writes them as a new
 * version, and moves the watermark. Everything it writes replaces rows by key, so a pass repeated
 * after a crash changes nothing. Reports merge what is past the watermark from raw events
 * (backend/src/query), so their answers never wait for it.
 */

/** An insert commits within this long of its start; a pass leaves the last LAG_MS for the next one. */
export const LAG_MS = 60_000;
/** slot_log keeps this long (its TTL); a watermark older than that means a full rebuild. */
export const LOG_KEEP_MS = 7 * 86_400_000;
/** Visitors whose sessions one statement recomputes at most. */
const VISITORS_PER_CHUNK = 200_000;
/** Days of one site's events one rollup batch reads at most. */
const DAYS_PER_BATCH = 1;

/** The watermark as SQL: every slot row logged before it is in the sessions and rollups. */
export const WATERMARK_SQL = `(SELECT argMax(up_to, at) FROM ${DATABASE}.materialized)`;

/** Visitors (site_id, is_bot, visitor) with slot rows logged at or after `since` (SQL). */
export function dirtyVisitors(since: string, until?: string, where = "1"): string {
  return `SELECT DISTINCT site_id, is_bot, visitor FROM ${DATABASE}.slot_log
    WHERE inserted >= ${since}${until ? ` AND inserted < ${until}` : ""} AND ${where}`;
}

/** Hours (site_id, hour) of human traffic with slot rows logged at or after `since` (SQL). */
export function dirtyHours(since: string, until?: string, where = "1"): string {
  return `SELECT DISTINCT site_id, toStartOfHour(slot) AS hour FROM ${DATABASE}.slot_log
    WHERE inserted >= ${since}${until ? ` AND inserted < ${until}` : ""} AND is_bot = 0 AND ${where}`;
}

/**
 * The sessions that changed for the visitors `visitors` names: every span of theirs holding a slot
 * written at or after `since`.
 */
export function changedSpans(visitors: string, since: string): string {
  return `SELECT site_id, is_bot, visitor, first_ts, last_ts FROM (${spans(visitorSlots(visitors, since))}) WHERE dirty = 1`;
}

export interface PassResult {
  /** The watermark before and after, epoch ms. */
  from: number;
  upTo: number;
  visitors: number;
  sessions: number;
  hours: number;
  ms: number;
}

export interface MaterializerOptions {
  /** A session of its own: passes use temporary tables. */
  client: ClickHouseClient;
  log?: (line: string) => void;
  lagMs?: number;
  now?: () => number;
}

export class Materializer {
  readonly #o: MaterializerOptions;
  #lastVersion = 0;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<PassResult | null> | null = null;
  #stopped = true;

  constructor(options: MaterializerOptions) {
    this.#o = options;
  }

  async #rows<T>(query: string): Promise<T[]> {
    const rs = await this.#o.client.query({ query, format: "JSONEachRow" });
    return rs.json<T>();
  }

  #command(query: string): Promise<unknown> {
    return this.#o.client.command({ query, clickhouse_settings: { async_insert: 0 } });
  }

  /** The watermark, epoch ms (0 before the first pass). */
  async watermark(): Promise<number> {
    const [row] = await this.#rows<{ ms: string }>(
      `SELECT toUnixTimestamp64Milli(${WATERMARK_SQL}) AS ms`,
    );
    return Number(row?.ms ?? 0);
  }

  #version(): string {
    this.#lastVersion = Math.max(Date.now(), this.#lastVersion + 1);
    return String(this.#lastVersion);
  }

  /**
   * One pass: everything logged before `now - lag`. Resolves to null when there was nothing new.
   * Concurrent calls share the pass under way.
   */
  runOnce(lagMs = this.#o.lagMs ?? LAG_MS): Promise<PassResult | null> {
    this.#running ??= this.#pass(lagMs).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #pass(lagMs: number): Promise<PassResult | null> {
    const started = performance.now();
    const now = (this.#o.now ?? Date.now)();
    const from = await this.watermark();
    const upTo = now - lagMs;
    if (upTo <= from) return null;
    if (from > 0 && from < now - LOG_KEEP_MS) {
      // The log's TTL dropped rows never processed: log every slot again; later passes take them.
      this.#o.log?.("materializer: the watermark is older than slot_log keeps, rebuilding all");
      await this.#command(
        `INSERT INTO ${DATABASE}.slot_log SELECT now64(3, 'UTC'), site_id, is_bot, visitor, slot FROM ${DATABASE}.session_slots`,
      );
    }
    const since = sqlInstant(from);
    const until = sqlInstant(upTo);
    const [count] = await this.#rows<{ visitors: string; hours: string }>(
      `SELECT (SELECT count() FROM (${dirtyVisitors(since, until)})) AS visitors,
        (SELECT count() FROM (${dirtyHours(since, until)})) AS hours`,
    );
    const visitors = Number(count?.visitors ?? 0);
    const hours = Number(count?.hours ?? 0);
    const version = this.#version();
    let sessions = 0;
    if (visitors > 0) sessions = await this.#sessions(since, until, visitors, version);
    if (hours > 0) await this.#rollups(since, until, version);
    await this.#command(
      `INSERT INTO ${DATABASE}.materialized (name, up_to) VALUES ('sessions', ${until})`,
    );
    const result = { from, upTo, visitors, sessions, hours, ms: performance.now() - started };
    if (visitors > 0 || hours > 0) {
      this.#o.log?.(
        `materializer: ${visitors} visitors, ${sessions} sessions, ${hours} hours in ${Math.round(result.ms)} ms`,
      );
    }
    return result;
  }

  /** Recomputes the changed sessions of the dirty visitors, chunk by chunk of visitor hashes. */
  async #sessions(since: string, until: string, visitors: number, version: string) {
    const chunks = Math.ceil(visitors / VISITORS_PER_CHUNK);
    const span = 2n ** 64n / BigInt(chunks);
    let written = 0;
    for (let i = 0; i < chunks; i++) {
      const lo = span * BigInt(i);
      const within =
        chunks === 1
          ? "1"
          : `visitor >= ${lo} AND visitor ${i === chunks - 1 ? "<= 18446744073709551615" : `< ${lo + span}`}`;
      await this.#command("DROP TEMPORARY TABLE IF EXISTS materialize_spans");
      await this.#command(
        `CREATE TEMPORARY TABLE materialize_spans ENGINE = Memory AS ${changedSpans(dirtyVisitors(since, until, within), since)}`,
      );
      const [bounds] = await this.#rows<{ n: string; first: string; last: string }>(
        `SELECT count() AS n, toUnixTimestamp64Milli(min(first_ts)) AS first,
          toUnixTimestamp64Milli(max(last_ts)) AS last FROM materialize_spans`,
      );
      const spansSql = "SELECT * FROM materialize_spans";
      const visitorsSql = "SELECT DISTINCT site_id, is_bot, visitor FROM materialize_spans";
      const rawWhere = `ts >= ${sqlInstant(Number(bounds?.first ?? 0))} AND ts <= ${sqlInstant(Number(bounds?.last ?? 0))}`;
      const columns = [...SESSION_COLUMNS, "version", "deleted"].join(", ");
      await this.#command(
        `INSERT INTO ${DATABASE}.sessions (${columns}) SELECT *, ${version}, 0 FROM (${sessionRowsFromRaw(spansSql, visitorsSql, rawWhere)})`,
      );
      // Sessions stored before that now lie inside a longer one (a late event joined them).
      await this.#command(
        `INSERT INTO ${DATABASE}.sessions (site_id, is_bot, visitor, first_ts, last_ts, version, deleted)
        SELECT o.site_id, o.is_bot, o.visitor, o.first_ts, o.first_ts, ${version}, 1
        FROM (
          SELECT site_id, is_bot, visitor, first_ts FROM ${DATABASE}.sessions FINAL
          WHERE (site_id, is_bot, visitor) IN (SELECT site_id, is_bot, visitor FROM materialize_spans)
            AND first_ts >= (SELECT min(first_ts) FROM materialize_spans)
            AND first_ts <= (SELECT max(last_ts) FROM materialize_spans)
        ) AS o
        INNER JOIN materialize_spans AS c
          ON o.site_id = c.site_id AND o.is_bot = c.is_bot AND o.visitor = c.visitor
        WHERE o.first_ts >= c.first_ts AND o.first_ts <= c.last_ts AND o.first_ts != c.first_ts`,
      );
      written += Number(bounds?.n ?? 0);
      await this.#command("DROP TEMPORARY TABLE IF EXISTS materialize_spans");
    }
    return written;
  }

  /** Rewrites every rollup's rows of the dirty hours, a site and day at a time. */
  async #rollups(since: string, until: string, version: string) {
    const hours = await this.#rows<{ site_id: string; hour: string }>(
      `SELECT site_id, toString(toUnixTimestamp(hour)) AS hour FROM (${dirtyHours(since, until)}) ORDER BY site_id, hour`,
    );
    const batches = new Map<string, { site: string; hours: number[] }>();
    for (const { site_id, hour } of hours) {
      const seconds = Number(hour);
      const day = Math.floor(seconds / (86_400 * DAYS_PER_BATCH));
      const key = `${site_id}\u0000${day}`;
      const batch = batches.get(key) ?? { site: site_id, hours: [] };
      batch.hours.push(seconds);
      batches.set(key, batch);
    }
    const columns = rollupSourceColumns().join(", ");
    for (const { site, hours: list } of batches.values()) {
      const first = Math.min(...list) * 1000;
      const last = Math.max(...list) * 1000 + 3_600_000;
      await this.#command("DROP TEMPORARY TABLE IF EXISTS materialize_events");
      await this.#command(
        `CREATE TEMPORARY TABLE materialize_events ENGINE = Memory AS
        SELECT ${columns} FROM ${DATABASE}.events
        WHERE site_id = ${sqlString(site)} AND is_bot = 0 AND ts >= ${sqlInstant(first)} AND ts < ${sqlInstant(last)}
          AND toUnixTimestamp(toStartOfHour(ts)) IN (${list.join(", ")})
        LIMIT 1 BY event_id`,
      );
      for (const rollup of ROLLUPS) {
        await this.#command(rollupInsert(rollup, "SELECT * FROM materialize_events", version));
      }
      await this.#command("DROP TEMPORARY TABLE IF EXISTS materialize_events");
    }
  }

  /** Passes every `intervalMs` until stop(). */
  start(intervalMs: number): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const tick = async () => {
      try {
        await this.runOnce();
      } catch (error) {
        this.#o.log?.(`materializer: pass failed, retrying: ${(error as Error).message}`);
      }
      if (!this.#stopped) this.#timer = setTimeout(tick, intervalMs);
    };
    this.#timer = setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => null);
  }

  /** Passes without lag until one finds nothing new: after a load, a rebuild, or in tests. */
  async drain(): Promise<PassResult[]> {
    const passes: PassResult[] = [];
    for (;;) {
      const pass = await this.runOnce(0);
      if (!pass) return passes;
      passes.push(pass);
      if (pass.visitors === 0 && pass.hours === 0) return passes;
    }
  }
}
