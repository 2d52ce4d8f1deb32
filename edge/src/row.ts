/**
 * The one event row: an NDJSON line in the spool, and a row of the ClickHouse `events` table.
 * Field names are the column names; config/clickhouse migrations must define exactly these
 * (a test in config/ checks it).
 */
export interface EventRow {
  event_id: string;
  site_id: string;
  /**
   * When the event happened, UTC, `YYYY-MM-DD hh:mm:ss.sss`: its client time corrected for the
   * batch's clock skew (event-time.ts). Reports bucket by it.
   */
  ts: string;
  /** When the server received the event, same format. */
  received_at: string;
  /** The browser's own clock at the moment of the event, uncorrected, same format. */
  client_ts: string;
  name: string;
  visitor_id: string;
  session_id: string;
  user_id: string;
  hostname: string;
  pathname: string;
  /** Only allowlisted query keys survive, re-encoded as `a=1&b=2`. */
  query: string;
  referrer: string;
  referrer_domain: string;
  channel: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string;
  utm_content: string;
  country: string;
  region: string;
  city: string;
  browser: string;
  browser_version: string;
  os: string;
  os_version: string;
  device: string;
  language: string;
  is_bot: 0 | 1;
  props: Record<string, string>;
  /** Revenue amount in `currency`; 0 when the event carries none. */
  revenue: number;
  currency: string;
  engaged_ms: number;
  scroll_depth: number;
  tracker_version: string;
}

/** Column order of the `events` table; kept in one place with the type above. */
export const EVENT_COLUMNS = [
  "event_id",
  "site_id",
  "ts",
  "received_at",
  "client_ts",
  "name",
  "visitor_id",
  "session_id",
  "user_id",
  "hostname",
  "pathname",
  "query",
  "referrer",
  "referrer_domain",
  "channel",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "country",
  "region",
  "city",
  "browser",
  "browser_version",
  "os",
  "os_version",
  "device",
  "language",
  "is_bot",
  "props",
  "revenue",
  "currency",
  "engaged_ms",
  "scroll_depth",
  "tracker_version",
] as const satisfies readonly (keyof EventRow)[];

type MissingColumn = Exclude<keyof EventRow, (typeof EVENT_COLUMNS)[number]>;
// Fails to compile when a field of EventRow is missing from EVENT_COLUMNS.
const _allColumnsListed: MissingColumn extends never ? true : false = true;
void _allColumnsListed;

const DAY_MS = 86_400_000;
/** 10000-01-01: from there on `toISOString` writes six-digit years. */
const YEAR_10000_MS = 253_402_300_800_000;
let cachedDay = Number.NaN;
let cachedDate = "";

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

/**
 * ClickHouse's DateTime64(3) text form, always UTC. Every event needs two, and `toISOString`
 * costs ~1 µs: the date part is kept for the current day and the time is plain arithmetic.
 */
export function formatTimestamp(ms: number): string {
  const at = Math.trunc(ms); // as `new Date(ms)` does
  if (!(at >= 0 && at < YEAR_10000_MS)) {
    return new Date(ms).toISOString().replace("T", " ").slice(0, 23);
  }
  const day = Math.floor(at / DAY_MS);
  if (day !== cachedDay) {
    cachedDate = new Date(day * DAY_MS).toISOString().slice(0, 10);
    cachedDay = day;
  }
  let rest = at - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${cachedDate} ${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis, 3)}`;
}
