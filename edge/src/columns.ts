import { z } from "zod";

/**
 * The event row, defined once: every column of the ClickHouse `events` table, in table order,
 * with its ClickHouse type (as the migrations leave it) and the check a row from outside must pass
 * (rows delivered by edge Workers). The row type, the column list, the row schema, the NDJSON
 * serializers' column order and the demo writer all come from here; config/src/migrate.test.ts
 * checks the table's names and types against a migrated database. Adding a column is one entry
 * here plus one migration.
 */

const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/, {
  message: "must be YYYY-MM-DD hh:mm:ss.sss (UTC)",
});
const text = (max: number) => z.string().max(max);
// Percent-encoding can make a stored URL part up to 9× its 2048-character wire limit.
const URL_PART = 2048 * 9;
const LC = "LowCardinality(String)";
const TIME = "DateTime64(3, 'UTC')";
const EPOCH = "1970-01-01 00:00:00.000";

/**
 * A column: its ClickHouse type, the check a value from outside must pass, and its empty value
 * (what ClickHouse stores for an omitted field, or a neutral one where that would fail the check),
 * which rows built for tests, fixtures and tools start from.
 */
const column = <C extends z.ZodType>(clickhouse: string, check: C, empty: z.infer<C>) => ({
  clickhouse,
  check,
  empty,
});

export const COLUMNS = {
  event_id: column("String", z.string().min(1).max(128), "-"),
  site_id: column(LC, z.string().min(1).max(253), "-"),
  /** When the event happened: its client time corrected for the batch's clock skew. */
  ts: column(TIME, timestamp, EPOCH),
  /** When the server received it. */
  received_at: column(TIME, timestamp, EPOCH),
  /** The browser's own clock at the event, uncorrected. */
  client_ts: column(TIME, timestamp, EPOCH),
  name: column(
    LC,
    z
      .string()
      .min(1)
      .max(64)
      .regex(/^[\w.:-]+$/),
    "pageview",
  ),
  visitor_id: column("String", text(128), ""),
  session_id: column("String", text(128), ""),
  user_id: column("String", text(128), ""),
  hostname: column(LC, text(URL_PART), ""),
  pathname: column("String", text(URL_PART), ""),
  /** Only allowlisted query keys survive, re-encoded as `a=1&b=2`. */
  query: column("String", text(URL_PART), ""),
  referrer: column("String", text(URL_PART), ""),
  referrer_domain: column(LC, text(URL_PART), ""),
  channel: column(LC, text(32), ""),
  utm_source: column(LC, text(URL_PART), ""),
  utm_medium: column(LC, text(URL_PART), ""),
  utm_campaign: column(LC, text(URL_PART), ""),
  utm_term: column("String", text(URL_PART), ""),
  utm_content: column("String", text(URL_PART), ""),
  country: column(LC, z.union([z.literal(""), z.string().regex(/^[A-Z]{2}$/)]), ""),
  region: column(LC, text(128), ""),
  city: column(LC, text(128), ""),
  browser: column(LC, text(64), ""),
  browser_version: column(LC, text(32), ""),
  os: column(LC, text(64), ""),
  os_version: column(LC, text(32), ""),
  device: column(LC, z.enum(["desktop", "mobile", "tablet", "bot"]), "desktop"),
  language: column(LC, text(35), ""),
  is_bot: column("UInt8", z.union([z.literal(0), z.literal(1)]), 0),
  props: column(
    "Map(LowCardinality(String), String)",
    // Scrubbing may lengthen a short email (a@b.io → [email]) by a character.
    z
      .record(z.string().min(1).max(128), z.string().max(1024))
      .refine((p) => Object.keys(p).length <= 30, { message: "at most 30 properties" }),
    {},
  ),
  /** Revenue amount in `currency`; 0 when the event carries none. */
  revenue: column("Decimal(18, 4)", z.number().finite(), 0),
  currency: column(LC, z.union([z.literal(""), z.string().regex(/^[A-Z]{3}$/)]), ""),
  engaged_ms: column("UInt32", z.number().int().min(0).max(86_400_000), 0),
  scroll_depth: column("UInt8", z.number().int().min(0).max(100), 0),
  tracker_version: column(LC, text(16), ""),
};

export type ColumnName = keyof typeof COLUMNS;
