import { createHash } from "node:crypto";
import type { ClickHouseClient } from "@clickhouse/client";
import { DATABASE } from "../clickhouse.ts";
import { EVENT_TABLES, SLOT_SECONDS, slotRows } from "./slots.ts";

/**
 * The materialized views, defined in code so that the slot rule (./slots.ts, tied to the session
 * timeout) has one definition. `migrate()` brings the database to these definitions after the
 * numbered migrations: each view carries a hash of its text in its COMMENT, and a view whose text
 * changed is dropped and created again. When the slot views change, the slots are rebuilt from the
 * raw events, since rows of another slot width would no longer chain into the same sessions.
 */
export interface ViewDefinition {
  name: string;
  to: string;
  select: string;
}

export const VIEWS: readonly ViewDefinition[] = [
  // Slot rows of every insert into either event table.
  { name: "session_slots_mv", to: "session_slots", select: slotRows("events") },
  { name: "session_slots_bots_mv", to: "session_slots", select: slotRows("bot_events") },
  // Every slot row written, by when: what the materializer has not processed yet is what is new.
  {
    name: "slot_log_mv",
    to: "slot_log",
    select: `SELECT inserted, site_id, is_bot, visitor, slot FROM ${DATABASE}.session_slots`,
  },
];

const hashOf = (view: ViewDefinition) =>
  createHash("sha256").update(`${view.to}\n${view.select}`).digest("hex").slice(0, 16);

/** The CREATE statement of a view, as migrate() runs it (config/clickhouse/schema.sql shows them). */
export function viewStatement(view: ViewDefinition): string {
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${DATABASE}.${view.name} TO ${DATABASE}.${view.to} AS
${view.select}
COMMENT 'sightline:${hashOf(view)}'`;
}

/**
 * Creates missing views and replaces changed ones; when a slot view was missing or changed, fills
 * the slots from the raw events day by day (a re-run after a crash fills them again: slot rows
 * merge idempotently). Returns the names of the views it created.
 */
export async function syncViews(
  client: ClickHouseClient,
  log: (line: string) => void = () => {},
): Promise<string[]> {
  const rs = await client.query({
    query: `SELECT name, comment FROM system.tables WHERE database = {db:String}`,
    query_params: { db: DATABASE },
    format: "JSONEachRow",
  });
  const existing = new Map(
    (await rs.json<{ name: string; comment: string }>()).map((t) => [t.name, t.comment]),
  );
  const created: string[] = [];
  let slotsChanged = false;
  for (const view of VIEWS) {
    const comment = existing.get(view.name);
    if (comment === `sightline:${hashOf(view)}`) continue;
    if (comment !== undefined) {
      log(`view ${view.name} changed: replacing it`);
      await client.command({ query: `DROP VIEW IF EXISTS ${DATABASE}.${view.name}` });
      if (view.to === "session_slots") slotsChanged = true;
    }
    await client.command({ query: viewStatement(view) });
    created.push(view.name);
  }
  if (slotsChanged) {
    // Rows of the old rule would chain into other sessions: start again from the raw events.
    log(`slots: the slot rule changed (now ${SLOT_SECONDS} s), rebuilding them from raw events`);
    await client.command({ query: `TRUNCATE TABLE ${DATABASE}.session_slots` });
  }
  if (created.some((name) => name.startsWith("session_slots"))) await fillSlots(client, log);
  return created;
}

/** Inserts the slot rows of every stored event, one UTC day at a time, with progress. */
export async function fillSlots(
  client: ClickHouseClient,
  log: (line: string) => void = () => {},
  where = "1",
): Promise<void> {
  const rs = await client.query({
    query: `SELECT toString(d) AS day, sum(n) AS n FROM (
      ${EVENT_TABLES.map((t) => `SELECT toDate(ts) AS d, count() AS n FROM ${DATABASE}.${t} WHERE ${where} GROUP BY d`).join(" UNION ALL ")}
    ) GROUP BY day ORDER BY day`,
    format: "JSONEachRow",
  });
  const days = await rs.json<{ day: string; n: string }>();
  const total = days.reduce((s, d) => s + Number(d.n), 0);
  if (!total) return;
  const started = performance.now();
  let done = 0;
  for (const [i, { day, n }] of days.entries()) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`slots: unexpected day ${day}`);
    for (const table of EVENT_TABLES) {
      await client.command({
        query: `INSERT INTO ${DATABASE}.session_slots ${slotRows(table, `toDate(ts) = '${day}' AND ${where}`)}`,
        clickhouse_settings: { async_insert: 0 },
      });
    }
    done += Number(n);
    const s = (performance.now() - started) / 1000;
    log(
      `slots: ${day} (${i + 1}/${days.length} days, ${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} events, ${Math.round(done / Math.max(s, 0.001)).toLocaleString("en-US")} events/s)`,
    );
  }
}
