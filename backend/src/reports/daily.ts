import { type ClickHouse, DATABASE } from "@sightline/config";
import type { DailyStats } from "../schemas/stats.ts";

const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

function parseDay(day: string): number {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day ? Number.NaN : ms;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Checks a date range; returns a message naming the problem, or null. */
export function rangeProblem(from: string, to: string): string | null {
  const a = parseDay(from);
  const b = parseDay(to);
  if (Number.isNaN(a)) return `from: "${from}" is not a calendar date`;
  if (Number.isNaN(b)) return `to: "${to}" is not a calendar date`;
  if (b < a) return "to: must not be before from";
  if ((b - a) / DAY_MS + 1 > MAX_DAYS) return `to: a range may span at most ${MAX_DAYS} days`;
  return null;
}

// Counting distinct event ids keeps reports exact before ReplacingMergeTree has merged duplicates.
// The hourly rollup holds uniqExact states of event and visitor ids, so merging them is just as
// exact and reads far fewer rows; it serves every time zone whose offsets are whole hours.
const HOURS = `site_id = {site:String}
    AND hour >= toDateTime({start:String}, {tz:String})
    AND hour < toDateTime({end:String}, {tz:String})`;

const ROLLUP_BY_DAY = `SELECT toString(toDate(hour, {tz:String})) AS date,
    uniqExactMergeIf(events, name = 'pageview') AS pageviews,
    uniqExactMerge(visitors) AS visitors
  FROM ${DATABASE}.events_hourly
  WHERE ${HOURS}
  GROUP BY date
  ORDER BY date`;

const ROLLUP_TOTALS = `SELECT uniqExactMergeIf(events, name = 'pageview') AS pageviews,
    uniqExactMerge(visitors) AS visitors
  FROM ${DATABASE}.events_hourly
  WHERE ${HOURS}`;

// Raw events, for time zones with half- or quarter-hour offsets (India, Nepal, Newfoundland...).
const FILTER = `site_id = {site:String}
    AND ts >= toDateTime64({start:String}, 3, {tz:String})
    AND ts < toDateTime64({end:String}, 3, {tz:String})
    AND is_bot = 0`;

const BY_DAY = `SELECT toString(toDate(ts, {tz:String})) AS date,
    uniqExactIf(event_id, name = 'pageview') AS pageviews,
    uniqExact(visitor_id) AS visitors
  FROM ${DATABASE}.events
  WHERE ${FILTER}
  GROUP BY date
  ORDER BY date`;

const TOTALS = `SELECT uniqExactIf(event_id, name = 'pageview') AS pageviews,
    uniqExact(visitor_id) AS visitors
  FROM ${DATABASE}.events
  WHERE ${FILTER}`;

/** True when `tz` is a whole number of hours from UTC on every day from `fromMs` to `toMs`. */
export function wholeHourOffsets(tz: string, fromMs: number, toMs: number): boolean {
  const format = new Intl.DateTimeFormat("en", { timeZone: tz, timeZoneName: "longOffset" });
  for (let ms = fromMs; ms <= toMs + DAY_MS; ms += DAY_MS / 2) {
    const name = format.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "";
    const minutes = /[+-]\d{2}:(\d{2})/.exec(name)?.[1];
    if (minutes !== undefined && minutes !== "00") return false;
  }
  return true;
}

interface CountsRow {
  pageviews: number | string;
  visitors: number | string;
}

/** Pageviews and unique visitors per local day of `tz`, every day of the range present. */
export async function dailyStats(
  ch: Pick<ClickHouse, "read">,
  input: { site: string; from: string; to: string; tz: string },
): Promise<DailyStats> {
  const end = new Date(parseDay(input.to) + DAY_MS).toISOString().slice(0, 10);
  const params = {
    site: input.site,
    start: `${input.from} 00:00:00`,
    end: `${end} 00:00:00`,
    tz: input.tz,
  };
  const rollup = wholeHourOffsets(input.tz, parseDay(input.from), parseDay(input.to));
  const [byDay, totals] = await Promise.all([
    ch.read<CountsRow & { date: string }>(rollup ? ROLLUP_BY_DAY : BY_DAY, params),
    ch.read<CountsRow>(rollup ? ROLLUP_TOTALS : TOTALS, params),
  ]);
  const found = new Map(byDay.map((r) => [r.date, r]));
  const days: DailyStats["days"] = [];
  for (let ms = parseDay(input.from); ms <= parseDay(input.to); ms += DAY_MS) {
    const date = new Date(ms).toISOString().slice(0, 10);
    const row = found.get(date);
    days.push({
      date,
      pageviews: Number(row?.pageviews ?? 0),
      visitors: Number(row?.visitors ?? 0),
    });
  }
  return {
    ...input,
    totals: {
      pageviews: Number(totals[0]?.pageviews ?? 0),
      visitors: Number(totals[0]?.visitors ?? 0),
    },
    days,
  };
}
