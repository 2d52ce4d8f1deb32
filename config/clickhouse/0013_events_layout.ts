// The event tables laid out for scale, after Plausible's events_v2: a 64-bit visitor hash that
// every report reads (the text id still arrives in each row and stays, compressed, because every
// insert path names columns implicitly), FixedString(2) countries, a sort key that starts with
// site and day, SAMPLE BY the visitor hash, and copies of one event id folding together whatever
// day they were delivered on (they share `ts`, the event's own time: docs/storage.md).
//
// Moves the stored events into the new layout without loss: a day of one table at a time, each
// recorded in sightline.migration_progress once its copy has landed, with progress in the log.
// After a crash (kill -9) a re-run drops the unfinished day's partial copy and goes on from there.
// Writers must be stopped while it runs (the all-in-one process migrates before it ships).
import type { MigrationContext } from "../src/migrate.ts";

const DB = "sightline";
const VERSION = 13;

const layout = (table: string) => `CREATE TABLE IF NOT EXISTS ${DB}.${table}
(
    event_id        String,
    site_id         LowCardinality(String),
    ts              DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    received_at     DateTime64(3, 'UTC') DEFAULT ts CODEC(Delta, ZSTD(1)),
    client_ts       DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    name            LowCardinality(String),
    visitor_id      String CODEC(ZSTD(1)),
    session_id      String CODEC(ZSTD(1)),
    user_id         String,
    hostname        LowCardinality(String),
    pathname        String CODEC(ZSTD(1)),
    query           String CODEC(ZSTD(1)),
    referrer        String CODEC(ZSTD(1)),
    referrer_domain LowCardinality(String),
    channel         LowCardinality(String),
    utm_source      LowCardinality(String),
    utm_medium      LowCardinality(String),
    utm_campaign    LowCardinality(String),
    utm_term        String,
    utm_content     String,
    country         FixedString(2),
    region          LowCardinality(String),
    city            LowCardinality(String),
    browser         LowCardinality(String),
    browser_version LowCardinality(String),
    os              LowCardinality(String),
    os_version      LowCardinality(String),
    device          LowCardinality(String),
    language        LowCardinality(String),
    is_bot          UInt8,
    props           Map(LowCardinality(String), String),
    revenue         Decimal(18, 4),
    currency        LowCardinality(String),
    engaged_ms      UInt32,
    scroll_depth    UInt8,
    tracker_version LowCardinality(String),
    visitor         UInt64 MATERIALIZED sipHash64(visitor_id)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
PRIMARY KEY (site_id, toDate(ts), name, visitor)
ORDER BY (site_id, toDate(ts), name, visitor, event_id)
SAMPLE BY visitor
TTL toDateTime(ts) + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'raw_months', tuple(site_id), toUInt16(13)))
SETTINGS non_replicated_deduplication_window = 10000, old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1`;

/** The columns an insert names (all but the materialized hash), in table order. */
const COLUMNS = `event_id, site_id, ts, received_at, client_ts, name, visitor_id, session_id, user_id,
  hostname, pathname, query, referrer, referrer_domain, channel, utm_source, utm_medium,
  utm_campaign, utm_term, utm_content, country, region, city, browser, browser_version, os,
  os_version, device, language, is_bot, props, revenue, currency, engaged_ms, scroll_depth,
  tracker_version`;

export async function up({ client, log }: MigrationContext): Promise<void> {
  const rows = async <T>(query: string) =>
    (await client.query({ query, format: "JSONEachRow" })).json<T>();
  const command = (query: string) =>
    client.command({ query, clickhouse_settings: { async_insert: 0 } });
  /** The new layout has the hash column; a table that has it needs no move. */
  const moved = async (table: string) =>
    Number(
      (
        await rows<{ n: string }>(
          `SELECT count() AS n FROM system.columns WHERE database = '${DB}' AND table = '${table}' AND name = 'visitor'`,
        )
      )[0]?.n ?? 0,
    ) > 0;

  await command(`CREATE TABLE IF NOT EXISTS sightline.migration_progress
    (migration UInt32, item String, rows UInt64, done_at DateTime64(3, 'UTC') DEFAULT now64(3))
    ENGINE = ReplacingMergeTree ORDER BY (migration, item)`);
  // The old views feed rollups that later migrations replace; they must not follow the rename.
  await command("DROP VIEW IF EXISTS sightline.events_hourly_mv");
  await command("DROP VIEW IF EXISTS sightline.visitor_slots_mv");

  for (const table of ["events", "bot_events"]) {
    if (await moved(table)) continue;
    const next = `${table}_next`;
    await command(layout(next));
    const days = await rows<{ day: string; n: string }>(
      `SELECT toString(toDate(ts)) AS day, count() AS n FROM ${DB}.${table} GROUP BY day ORDER BY day`,
    );
    const done = new Set(
      (
        await rows<{ item: string }>(
          `SELECT item FROM ${DB}.migration_progress WHERE migration = ${VERSION} AND startsWith(item, '${table}/')`,
        )
      ).map((r) => r.item),
    );
    const total = days.reduce((s, d) => s + Number(d.n), 0);
    log(
      `${table}: moving ${total.toLocaleString("en-US")} rows of ${days.length} days to the new layout`,
    );
    const started = performance.now();
    let copied = 0;
    let resumed = false;
    for (const [i, { day, n }] of days.entries()) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`${table}: unexpected day ${day}`);
      const item = `${table}/${day}`;
      copied += Number(n);
      if (done.has(item)) continue;
      // Days go in order and each is recorded once it landed, so only the first day not recorded
      // can hold part of a copy that a crash cut short: drop that, then copy the day whole.
      if (!resumed) await command(`DELETE FROM ${DB}.${next} WHERE toDate(ts) = '${day}'`);
      resumed = true;
      await command(
        `INSERT INTO ${DB}.${next} (${COLUMNS}) SELECT ${COLUMNS} FROM ${DB}.${table} WHERE toDate(ts) = '${day}'`,
      );
      await command(
        `INSERT INTO ${DB}.migration_progress (migration, item, rows) VALUES (${VERSION}, '${item}', ${Number(n)})`,
      );
      const s = (performance.now() - started) / 1000;
      log(
        `${table}: ${day} moved, ${Number(n).toLocaleString("en-US")} rows (${i + 1}/${days.length} days, ${copied.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} rows, ${Math.round(copied / Math.max(s, 0.001)).toLocaleString("en-US")} rows/s)`,
      );
    }
    // Both names swap in one step; a re-run sees the hash column on `table` and skips this.
    await command(`EXCHANGE TABLES ${DB}.${table} AND ${DB}.${next}`);
    log(`${table}: now in the new layout`);
  }
  for (const table of ["events", "bot_events"]) {
    // Holds the old layout once swapped (or nothing, if a crash came before its creation).
    await command(`DROP TABLE IF EXISTS ${DB}.${table}_next`);
  }
  // The Merge table copies its columns when created, so it is created again over the new ones.
  await command("DROP TABLE IF EXISTS sightline.events_with_bots");
  await command(
    "CREATE TABLE IF NOT EXISTS sightline.events_with_bots AS sightline.events ENGINE = Merge('sightline', '^(events|bot_events)$')",
  );
}
