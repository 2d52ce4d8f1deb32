import { errors } from "../errors.ts";
import type { Compare, Granularity } from "../schemas/query.ts";
import type { Params } from "./params.ts";
import { isKnownZone } from "./zones.ts";

const DAY_MS = 86_400_000;
export const MAX_DAYS = 366;
/** Fine buckets over long ranges would make huge answers; these bound the number of buckets. */
export const MAX_DAYS_BY_GRANULARITY: Readonly<Record<Granularity, number>> = {
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
  /**
   * The bounds as asked, both inclusive: local dates of `tz` (`YYYY-MM-DD`), or local hours
   * (`YYYY-MM-DDThh:00`) for ranges such as the last 24 hours.
   */
  from: string;
  to: string;
  tz: string;
  /** The local start of `from` and the local end of `to` (exclusive), as `YYYY-MM-DD hh:mm:ss`. */
  start: string;
  end: string;
  /** Length in days; a fraction for hour ranges. */
  days: number;
}

const HOUR_MS = 3_600_000;
const BOUND = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):00)?$/;

/** A bound on a naive local clock (as if the zone were UTC); NaN when it is not a real date or hour. */
function parseBound(text: string): { ms: number; hour: boolean } | null {
  const m = BOUND.exec(text);
  const day = m?.[1];
  if (!m || !day) return null;
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) return null;
  const hour = m[2] === undefined ? null : Number(m[2]);
  if (hour !== null && hour > 23) return null;
  return { ms: ms + (hour ?? 0) * HOUR_MS, hour: hour !== null };
}

const localText = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
const boundText = (ms: number, hour: boolean) =>
  new Date(ms)
    .toISOString()
    .slice(0, hour ? 16 : 10)
    .replace(/:\d\d$/, ":00");

/** The range from a naive local start to a naive local end (exclusive). */
function rangeOf(startMs: number, endMs: number, tz: string, hour: boolean): Range {
  const last = endMs - (hour ? HOUR_MS : DAY_MS);
  return {
    from: boundText(startMs, hour),
    to: boundText(last, hour),
    tz,
    start: localText(startMs),
    end: localText(endMs),
    days: (endMs - startMs) / DAY_MS,
  };
}

function checkBound(text: string, field: string): { ms: number; hour: boolean } {
  const bound = parseBound(text);
  if (!bound) {
    throw errors.badRequest(
      `${field}: "${text}" is not a calendar date (YYYY-MM-DD or YYYY-MM-DDThh:00)`,
    );
  }
  const day = text.slice(0, 10);
  if (day < FIRST_DAY || day > LAST_DAY) {
    throw errors.badRequest(`${field}: "${text}" is outside ${FIRST_DAY} to ${LAST_DAY}`);
  }
  return bound;
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
  const a = checkBound(input.from, `${at}/from`);
  const b = checkBound(input.to, `${at}/to`);
  if (a.hour !== b.hour) {
    throw errors.badRequest(`${at}/to: give both bounds as dates, or both as hours`);
  }
  if (b.ms < a.ms) throw errors.badRequest(`${at}/to: must not be before from`);
  if (!isKnownZone(input.tz)) {
    throw errors.badRequest(`${at}/tz: "${input.tz}" is not a time zone the database knows`);
  }
  const range = rangeOf(a.ms, b.ms + (a.hour ? HOUR_MS : DAY_MS), input.tz, a.hour);
  const limit = MAX_DAYS_BY_GRANULARITY[granularity ?? "day"];
  if (range.days > limit) {
    throw errors.badRequest(
      `${at}/to: a range may span at most ${limit} days${granularity ? ` at ${granularity} granularity` : ""}`,
    );
  }
  return range;
}

/** The period a comparison runs over: the same length right before, or a year earlier. */
export function comparisonRange(range: Range, compare: Compare): Range {
  const start = parseBound(range.from);
  const last = parseBound(range.to);
  if (!start || !last) throw new Error(`not a resolved range: ${range.from} ${range.to}`);
  const step = start.hour ? HOUR_MS : DAY_MS;
  if (compare === "previous_period") {
    const length = last.ms + step - start.ms;
    return rangeOf(start.ms - length, start.ms, range.tz, start.hour);
  }
  const back = (ms: number) => {
    const d = new Date(ms);
    // 29 February a year earlier is 28 February.
    const lastDay = new Date(Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth() + 1, 0)).getUTCDate();
    return Date.UTC(
      d.getUTCFullYear() - 1,
      d.getUTCMonth(),
      Math.min(d.getUTCDate(), lastDay),
      d.getUTCHours(),
    );
  };
  return rangeOf(back(start.ms), back(last.ms) + step, range.tz, start.hour);
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
  return {
    from: new Date(startMs).toISOString().slice(0, 10),
    to: new Date(endMs - 1).toISOString().slice(0, 10),
    tz: "UTC",
    start: text(startMs),
    end: text(endMs),
    days: (endMs - startMs) / DAY_MS,
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
  const probes = [range.from, range.to].map((b) => Date.parse(`${b.slice(0, 10)}T12:00:00Z`));
  for (let y = first; y <= last; y++) probes.push(Date.UTC(y, 0, 15), Date.UTC(y, 6, 15));
  return probes.every((ms) => offsetMinutes(ms, range.tz) % 60 === 0);
}
