import { errors } from "../errors.ts";
import type { Compare, Granularity } from "../schemas/query.ts";
import type { Params } from "./params.ts";
import { isKnownZone } from "./zones.ts";

const DAY_MS = 86_400_000;
export const MAX_DAYS = 366;
/** Fine buckets over long ranges would make huge answers; these bound the number of buckets. */
const MAX_DAYS_BY_GRANULARITY: Record<Granularity, number> = {
  minute: 2,
  hour: 93,
  day: MAX_DAYS,
  week: MAX_DAYS,
  month: MAX_DAYS,
};

/**
 * Dates a range may hold. The database's DateTime64 ends in 2299, ranges reach a day past their
 * end and comparisons a year before their start; nothing Sightline records can lie outside these.
 */
export const FIRST_DAY = "2000-01-01";
export const LAST_DAY = "2199-12-31";

export interface Range {
  /** Local dates of `tz`, inclusive. */
  from: string;
  to: string;
  tz: string;
  /** `from` at local midnight, and the local midnight after `to`, as `YYYY-MM-DD hh:mm:ss`. */
  start: string;
  end: string;
  days: number;
}

function parseDay(day: string): number {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day ? Number.NaN : ms;
}

const dayString = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function rangeOf(fromMs: number, toMs: number, tz: string): Range {
  return {
    from: dayString(fromMs),
    to: dayString(toMs),
    tz,
    start: `${dayString(fromMs)} 00:00:00`,
    end: `${dayString(toMs + DAY_MS)} 00:00:00`,
    days: Math.round((toMs - fromMs) / DAY_MS) + 1,
  };
}

function checkDay(day: string, field: string): number {
  const ms = parseDay(day);
  if (Number.isNaN(ms)) throw errors.badRequest(`${field}: "${day}" is not a calendar date`);
  if (day < FIRST_DAY || day > LAST_DAY) {
    throw errors.badRequest(`${field}: "${day}" is outside ${FIRST_DAY} to ${LAST_DAY}`);
  }
  return ms;
}

/**
 * Checks the range fields of a spec or a query string, the same way for every route; a bad one
 * is a 400 naming the field (`at` is where the fields sit: body or querystring).
 */
export function resolveRange(
  input: { from: string; to: string; tz: string },
  granularity?: Granularity,
  at = "body",
): Range {
  const a = checkDay(input.from, `${at}/from`);
  const b = checkDay(input.to, `${at}/to`);
  if (b < a) throw errors.badRequest(`${at}/to: must not be before from`);
  if (!isKnownZone(input.tz)) {
    throw errors.badRequest(`${at}/tz: "${input.tz}" is not a time zone the database knows`);
  }
  const range = rangeOf(a, b, input.tz);
  const limit = MAX_DAYS_BY_GRANULARITY[granularity ?? "day"];
  if (range.days > limit) {
    throw errors.badRequest(
      `${at}/to: a range may span at most ${limit} days${granularity ? ` at ${granularity} granularity` : ""}`,
    );
  }
  return range;
}

/** The period a comparison runs over: the same number of days right before, or a year earlier. */
export function comparisonRange(range: Range, compare: Compare): Range {
  if (compare === "previous_period") {
    const from = parseDay(range.from) - range.days * DAY_MS;
    return rangeOf(from, from + (range.days - 1) * DAY_MS, range.tz);
  }
  const back = (day: string) => {
    const [y, m, d] = day.split("-").map(Number) as [number, number, number];
    // 29 February a year earlier is 28 February.
    const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
    return Date.UTC(y - 1, m - 1, Math.min(d, last));
  };
  return rangeOf(back(range.from), back(range.to), range.tz);
}

/** An instant (epoch ms) as SQL: a bound `YYYY-MM-DD hh:mm:ss.sss` read in UTC. */
export function instantSql(ms: number, params: Params): string {
  const text = new Date(ms).toISOString().slice(0, 23).replace("T", " ");
  return `toDateTime64(${params.bind(text, "String")}, 3, 'UTC')`;
}

/**
 * A range between two instants (epoch ms, the end excluded) rather than whole local days, for
 * reports of the last minutes; its zone is UTC. Only our clock sets it, never a client.
 */
export function instantRange(startMs: number, endMs: number): Range {
  const text = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace("T", " ");
  const from = dayString(startMs);
  const to = dayString(endMs - 1);
  return {
    from,
    to,
    tz: "UTC",
    start: text(startMs),
    end: text(endMs),
    days: Math.round((parseDay(to) - parseDay(from)) / DAY_MS) + 1,
  };
}

/** `ts` inside the range: from local midnight of `from` to the local midnight after `to`. */
export function rangeCondition(range: Range, params: Params): string {
  const tz = params.bind(range.tz, "String");
  return `ts >= toDateTime64(${params.bind(range.start, "String")}, 3, ${tz}) AND ts < toDateTime64(${params.bind(range.end, "String")}, 3, ${tz})`;
}

/** The bucket label of `ts` in the range's zone; minutes and hours carry their UTC offset. */
export function bucketExpression(granularity: Granularity, tzParam: string): string {
  switch (granularity) {
    case "minute":
      return `formatDateTime(toStartOfMinute(ts, ${tzParam}), '%Y-%m-%dT%H:%i:%S%z', ${tzParam})`;
    case "hour":
      return `formatDateTime(toStartOfHour(ts, ${tzParam}), '%Y-%m-%dT%H:%i:%S%z', ${tzParam})`;
    case "day":
      return `toString(toDate(ts, ${tzParam}))`;
    case "week":
      return `toString(toStartOfWeek(ts, 1, ${tzParam}))`;
    case "month":
      return `toString(toStartOfMonth(ts, ${tzParam}))`;
  }
}

/** `+0100` → `+01:00`, so labels are ISO 8601. */
export function isoLabel(label: string): string {
  return label.replace(/([+-]\d\d)(\d\d)$/, "$1:$2");
}

/**
 * Every bucket label of a range, computed by ClickHouse with the same expression as the query
 * (so DST days have 23 or 25 hours exactly as the data does). Steps of 30 minutes catch zones
 * with half-hour offsets.
 */
export function bucketListQuery(range: Range, granularity: Granularity, params: Params): string {
  const stepMinutes = granularity === "minute" ? 1 : 30;
  const count = Math.ceil(((range.days + 1) * 1440) / stepMinutes);
  const tz = params.bind(range.tz, "String");
  return `SELECT DISTINCT ${bucketExpression(granularity, tz)} AS t
FROM (SELECT toDateTime64(${params.bind(range.start, "String")}, 3, ${tz}) + toIntervalMinute(number * ${stepMinutes}) AS ts
  FROM numbers(${params.bind(count, "UInt32")}))
WHERE ts < toDateTime64(${params.bind(range.end, "String")}, 3, ${tz})
ORDER BY t`;
}

function offsetMinutes(ms: number, tz: string): number {
  const name =
    new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" })
      .formatToParts(ms)
      .find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/**
 * True when the zone's offset is a whole number of hours at every probe of the range's years (both
 * solstice sides and the range ends), so hourly rollups bucket exactly into its local days.
 */
export function wholeHourZone(range: Range): boolean {
  const first = Number(range.from.slice(0, 4));
  const last = Number(range.to.slice(0, 4));
  const probes = [Date.parse(`${range.from}T12:00:00Z`), Date.parse(`${range.to}T12:00:00Z`)];
  for (let y = first; y <= last; y++) probes.push(Date.UTC(y, 0, 15), Date.UTC(y, 6, 15));
  return probes.every((ms) => offsetMinutes(ms, range.tz) % 60 === 0);
}
