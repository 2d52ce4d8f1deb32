import { z } from "zod";
import type { EVENT_COLUMNS, EventRow } from "./row.ts";

const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/, {
  message: "must be YYYY-MM-DD hh:mm:ss.sss (UTC)",
});
const text = (max: number) => z.string().max(max);
// Percent-encoding can make a stored URL part up to 9× its 2048-character wire limit.
const URL_PART = 2048 * 9;

/**
 * An `EventRow` as delivered by edge Workers (NDJSON over HTTP): every column, nothing else, each
 * with its type. Used where rows arrive from outside instead of from `collect()`.
 */
export const eventRowSchema = z.strictObject({
  event_id: z.string().min(1).max(128),
  site_id: z.string().min(1).max(253),
  ts: timestamp,
  received_at: timestamp,
  client_ts: timestamp,
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w.:-]+$/),
  visitor_id: text(128),
  session_id: text(128),
  user_id: text(128),
  hostname: text(URL_PART),
  pathname: text(URL_PART),
  query: text(URL_PART),
  referrer: text(URL_PART),
  referrer_domain: text(URL_PART),
  channel: text(32),
  utm_source: text(URL_PART),
  utm_medium: text(URL_PART),
  utm_campaign: text(URL_PART),
  utm_term: text(URL_PART),
  utm_content: text(URL_PART),
  country: z.union([z.literal(""), z.string().regex(/^[A-Z]{2}$/)]),
  region: text(128),
  city: text(128),
  browser: text(64),
  browser_version: text(32),
  os: text(64),
  os_version: text(32),
  device: z.enum(["desktop", "mobile", "tablet", "bot"]),
  language: text(35),
  is_bot: z.union([z.literal(0), z.literal(1)]),
  props: z
    // Scrubbing may lengthen a short email (a@b.io → [email]) by a character.
    .record(z.string().min(1).max(128), z.string().max(1024))
    .refine((p) => Object.keys(p).length <= 30, { message: "at most 30 properties" }),
  revenue: z.number().finite(),
  currency: z.union([z.literal(""), z.string().regex(/^[A-Z]{3}$/)]),
  engaged_ms: z.number().int().min(0).max(86_400_000),
  scroll_depth: z.number().int().min(0).max(100),
  tracker_version: text(16),
}) satisfies z.ZodType<EventRow>;

// Fails to compile when the schema and the column list drift apart.
const _sameColumns: keyof z.infer<typeof eventRowSchema> extends (typeof EVENT_COLUMNS)[number]
  ? true
  : false = true;
void _sameColumns;
