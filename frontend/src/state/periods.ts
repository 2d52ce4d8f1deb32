// Periods are computed in the site's time zone, never the viewer's: "today" is the site's today,
// so everyone who opens the same link sees the same numbers. Dates are `YYYY-MM-DD` local to the
// site; hour ranges (the last 24 hours) are `YYYY-MM-DDThh:00`, as the query API takes them.

export type Granularity = "minute" | "hour" | "day" | "week" | "month";

export type PeriodKey =
  | "today"
  | "yesterday"
  | "realtime"
  | "24h"
  | "7d"
  | "28d"
  | "30d"
  | "91d"
  | "month"
  | "last_month"
  | "year"
  | "12mo"
  | "all"
  | "custom";

export interface PeriodOption {
  key: PeriodKey;
  label: string;
  /** Plausible's keyboard shortcut for it. */
  shortcut: string;
}

/** The menu, in groups; shortcuts as in Plausible (d, e, r, w, f, t, n, m, p, y, l, a, c). */
export const PERIOD_GROUPS: PeriodOption[][] = [
  [
    { key: "today", label: "Today", shortcut: "d" },
    { key: "yesterday", label: "Yesterday", shortcut: "e" },
    { key: "realtime", label: "Realtime", shortcut: "r" },
    { key: "24h", label: "Last 24 hours", shortcut: "h" },
  ],
  [
    { key: "7d", label: "Last 7 days", shortcut: "w" },
    { key: "28d", label: "Last 28 days", shortcut: "f" },
    { key: "30d", label: "Last 30 days", shortcut: "t" },
    { key: "91d", label: "Last 91 days", shortcut: "n" },
  ],
  [
    { key: "month", label: "This month", shortcut: "m" },
    { key: "last_month", label: "Last month", shortcut: "p" },
    { key: "year", label: "This year", shortcut: "y" },
    { key: "12mo", label: "Last 12 months", shortcut: "l" },
  ],
  [
    { key: "all", label: "All time", shortcut: "a" },
    { key: "custom", label: "Custom range", shortcut: "c" },
  ],
];

export const PERIODS: PeriodOption[] = PERIOD_GROUPS.flat();
export const DEFAULT_PERIOD: PeriodKey = "30d";

export function isPeriodKey(value: string): value is PeriodKey {
  return PERIODS.some((p) => p.key === value);
}

/** The longest range a report may span (the query API's limit). */
export const MAX_DAYS = 366;
/** Longest ranges per bucket size, as the query API bounds them. */
export const MAX_DAYS_BY_GRANULARITY: Record<Granularity, number> = {
  minute: 2,
  hour: 93,
  day: MAX_DAYS,
  week: MAX_DAYS,
  month: MAX_DAYS,
};

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The wall clock of `tz` at `now`, as a naive instant (its fields read as if it were UTC). */
export function wallClock(tz: string, now: number = Date.now()): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
}

const iso = (naive: number) => new Date(naive).toISOString();
export const dayOf = (naive: number) => iso(naive).slice(0, 10);
const hourOf = (naive: number) => `${iso(naive).slice(0, 13)}:00`;
/** A date string's naive midnight; NaN for anything that is not a real date. */
export function parseDay(day: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return Number.NaN;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) || dayOf(ms) !== day ? Number.NaN : ms;
}
const addMonths = (naive: number, months: number) => {
  const d = new Date(naive);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
};

export interface Resolved {
  /** Bounds for the query API: dates, or hours for the last 24 hours. */
  from: string;
  to: string;
  /** Calendar days the range touches (a fraction of more than one for hour ranges is rounded up). */
  days: number;
  /** What the period is called, for headings and the picker's button. */
  label: string;
  granularities: Granularity[];
  granularity: Granularity;
  /** Set when the query API would refuse the range: the sentence to show instead of numbers. */
  tooLong?: string;
}

export interface PeriodInput {
  period: PeriodKey;
  /** For custom ranges. */
  from?: string;
  to?: string;
}

const dayFormat = (day: string, withYear = true) =>
  new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    ...(withYear ? { year: "numeric" } : {}),
    timeZone: "UTC",
  }).format(parseDay(day));

export function describeDays(from: string, to: string): string {
  if (from === to) return dayFormat(from);
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  return `${dayFormat(from, !sameYear)} – ${dayFormat(to)}`;
}

/** Bucket sizes that suit a range of `days`, the API's limits included, and the default one. */
export function granularitiesFor(days: number): { all: Granularity[]; best: Granularity } {
  if (days <= 2) return { all: ["minute", "hour"], best: "hour" };
  if (days <= 31) return { all: ["hour", "day", "week"], best: "day" };
  if (days <= 93) return { all: ["hour", "day", "week", "month"], best: "day" };
  return { all: ["day", "week", "month"], best: days > 190 ? "month" : "week" };
}

/**
 * The dates a period covers in the site's zone at `now`. `firstDay` is the site's first day with
 * data (for all time). Realtime resolves to today; its page shows the last 30 minutes itself.
 */
export function resolvePeriod(
  input: PeriodInput,
  tz: string,
  now: number = Date.now(),
  firstDay?: string | null,
): Resolved {
  const clock = wallClock(tz, now);
  const today = Date.UTC(
    new Date(clock).getUTCFullYear(),
    new Date(clock).getUTCMonth(),
    new Date(clock).getUTCDate(),
  );
  const days = (from: number, to: number) => Math.round((to - from) / DAY_MS) + 1;
  const span = (from: number, to: number, label: string): Resolved => {
    const n = days(from, to);
    const g = granularitiesFor(n);
    const over = n > MAX_DAYS;
    return {
      from: dayOf(from),
      to: dayOf(to),
      days: n,
      label,
      granularities: g.all,
      granularity: g.best,
      ...(over
        ? {
            tooLong: `${label} covers ${n.toLocaleString("en")} days, but a report can span at most ${MAX_DAYS} days. Pick a shorter range, such as the last 12 months, or a custom range within one year.`,
          }
        : {}),
    };
  };
  const lastDays = (n: number, label: string) => span(today - (n - 1) * DAY_MS, today, label);
  switch (input.period) {
    case "today":
    case "realtime":
      return span(today, today, input.period === "realtime" ? "Realtime" : "Today");
    case "yesterday":
      return span(today - DAY_MS, today - DAY_MS, "Yesterday");
    case "24h": {
      const hour = Math.floor(clock / HOUR_MS) * HOUR_MS;
      return {
        from: hourOf(hour - 23 * HOUR_MS),
        to: hourOf(hour),
        days: 1,
        label: "Last 24 hours",
        granularities: ["minute", "hour"],
        granularity: "hour",
      };
    }
    case "7d":
      return lastDays(7, "Last 7 days");
    case "28d":
      return lastDays(28, "Last 28 days");
    case "30d":
      return lastDays(30, "Last 30 days");
    case "91d":
      return lastDays(91, "Last 91 days");
    case "month":
      return span(addMonths(today, 0), today, "This month");
    case "last_month": {
      const start = addMonths(today, -1);
      return span(start, addMonths(today, 0) - DAY_MS, monthName(start));
    }
    case "year":
      return span(Date.UTC(new Date(today).getUTCFullYear(), 0, 1), today, "This year");
    case "12mo":
      return span(addMonths(today, -11), today, "Last 12 months");
    case "all": {
      const first = firstDay ? parseDay(firstDay) : Number.NaN;
      return span(Number.isNaN(first) || first > today ? today : first, today, "All time");
    }
    case "custom": {
      const from = parseDay(input.from ?? "");
      const to = parseDay(input.to ?? "");
      if (Number.isNaN(from) || Number.isNaN(to) || to < from) return lastDays(30, "Last 30 days");
      return span(from, to, describeDays(dayOf(from), dayOf(to)));
    }
  }
}

function monthName(naive: number): string {
  return new Intl.DateTimeFormat("en-GB", {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(naive);
}

/**
 * The same period moved one step back (-1) or forward (+1): a day, a month or a year for those
 * periods, else the range's own length. Null when the step would start in the future.
 */
export function shiftPeriod(
  input: PeriodInput,
  direction: -1 | 1,
  tz: string,
  now: number = Date.now(),
  firstDay?: string | null,
): PeriodInput | null {
  if (input.period === "realtime" || input.period === "24h") return null;
  const r = resolvePeriod(input, tz, now, firstDay);
  const from = parseDay(r.from);
  const to = parseDay(r.to);
  const todayDay = dayOf(wallClock(tz, now));
  let next: { from: number; to: number };
  if (input.period === "month" || input.period === "last_month") {
    const start = addMonths(from, direction);
    next = { from: start, to: addMonths(start, 1) - DAY_MS };
  } else if (input.period === "year") {
    const y = new Date(from).getUTCFullYear() + direction;
    next = { from: Date.UTC(y, 0, 1), to: Date.UTC(y, 11, 31) };
  } else {
    const length = to - from + DAY_MS;
    next = { from: from + direction * length, to: to + direction * length };
  }
  if (dayOf(next.from) > todayDay) return null;
  // String order is date order for YYYY-MM-DD.
  const clampedTo = [dayOf(next.to), todayDay].sort()[0] as string;
  if (dayOf(next.from) === todayDay && clampedTo === todayDay) return { period: "today" };
  return { period: "custom", from: dayOf(next.from), to: clampedTo };
}

/**
 * The label the query API gives the bucket that holds `now`, up to its precision: buckets after
 * it have not happened yet, and it has only partly happened.
 */
export function currentBucket(granularity: Granularity, tz: string, now: number = Date.now()) {
  const clock = wallClock(tz, now);
  const d = new Date(clock);
  switch (granularity) {
    case "minute":
      return iso(clock).slice(0, 16);
    case "hour":
      return iso(clock).slice(0, 13);
    case "day":
      return dayOf(clock);
    case "week": {
      const monday =
        Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) -
        ((d.getUTCDay() + 6) % 7) * DAY_MS;
      return dayOf(monday);
    }
    case "month":
      return dayOf(addMonths(clock, 0));
  }
}

/** The part of a bucket label that `currentBucket` compares (labels of hours carry an offset). */
export function bucketKey(label: string, granularity: Granularity): string {
  if (granularity === "minute") return label.slice(0, 16);
  if (granularity === "hour") return label.slice(0, 13);
  return label.slice(0, 10);
}
