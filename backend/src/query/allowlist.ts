import type { Params } from "./params.ts";

/**
 * Every dimension a client may name, and the SQL it stands for. Identifiers in compiled SQL come
 * only from here; a property key is a bound parameter inside `props[...]`.
 *
 * A dimension is read two ways. On events (raw or a rollup, which keep the raw column names) its
 * `sql` is an expression of the event's columns. On sessions (sightline.sessions) its `session`
 * says what it means for a session: the value of its first event (`column`), one value per page
 * it viewed or event name it had (`array`: a session counts under each), or its start time
 * (`time`). A dimension without `session` cannot group or filter session metrics directly.
 */
export interface DimensionDef {
  /** The SQL on event columns, or a function of the query's zone (SQL) and time column. */
  sql: string | ((zone: string, ts?: string) => string);
  /** Raw event columns it reads. */
  columns: readonly string[];
  session?: { column: string } | { array: "pages" | "names" } | { time: true };
  /** Only sessions know it (entry and exit page): events read it from their session. */
  sessionOnly?: boolean;
}

const column = (name: string): DimensionDef => ({
  sql: name,
  columns: [name],
  session: { column: name },
});

export const DIMENSIONS: Readonly<Record<string, DimensionDef>> = {
  page: { sql: "pathname", columns: ["pathname"], session: { array: "pages" } },
  entry_page: {
    sql: "s_entry",
    columns: [],
    session: { column: "entry_page" },
    sessionOnly: true,
  },
  exit_page: { sql: "s_exit", columns: [], session: { column: "exit_page" }, sessionOnly: true },
  hostname: column("hostname"),
  referrer: column("referrer"),
  referrer_domain: column("referrer_domain"),
  channel: column("channel"),
  utm_source: column("utm_source"),
  utm_medium: column("utm_medium"),
  utm_campaign: column("utm_campaign"),
  utm_term: column("utm_term"),
  utm_content: column("utm_content"),
  // FixedString(2): an unknown country is two zero bytes, shown as "".
  country: {
    sql: "replaceAll(toString(country), '\\0', '')",
    columns: ["country"],
    session: { column: "replaceAll(toString(country), '\\0', '')" },
  },
  region: column("region"),
  city: column("city"),
  browser: column("browser"),
  browser_version: column("browser_version"),
  os: column("os"),
  os_version: column("os_version"),
  device: column("device"),
  language: column("language"),
  event: { sql: "name", columns: ["name"], session: { array: "names" } },
  currency: { sql: "currency", columns: ["currency"] },
  /** 1 (Monday) to 7 (Sunday), in the query's zone; a session's is its start's. */
  day_of_week: {
    sql: (zone, ts = "ts") => `toString(toDayOfWeek(${ts}, 0, ${zone}))`,
    columns: ["ts"],
    session: { time: true },
  },
  /** "00" to "23", in the query's zone; a session's is its start's. */
  hour_of_day: {
    sql: (zone, ts = "ts") => `leftPad(toString(toHour(${ts}, ${zone})), 2, '0')`,
    columns: ["ts"],
    session: { time: true },
  },
};

const PROPERTY = /^prop:(.{1,64})$/su;

/** A dimension with its SQL made concrete: local-time dimensions read the query's zone. */
export interface ResolvedDimension extends DimensionDef {
  name: string;
  sql: string;
  /** For local-time dimensions: the SQL on another time column (rollup hours). */
  at?: (ts: string) => string;
}

/** The SQL of a dimension, or null when the name is not allowed. */
export function dimension(name: string, params: Params): ResolvedDimension | null {
  if (Object.hasOwn(DIMENSIONS, name)) {
    const d = DIMENSIONS[name];
    if (!d) return null;
    const local = typeof d.sql === "function" ? d.sql : null;
    return {
      ...d,
      name,
      sql: local ? local(params.zone()) : (d.sql as string),
      ...(local ? { at: (ts: string) => local(params.zone(), ts) } : {}),
    };
  }
  const key = PROPERTY.exec(name)?.[1];
  if (key === undefined) return null;
  return { name, sql: `props[${params.bind(key, "String")}]`, columns: ["props"] };
}

/** The SQL of a dimension on a session row (`ts` is its start), or null when sessions lack it. */
export function sessionSql(d: ResolvedDimension): string | null {
  const s = d.session;
  if (!s) return null;
  if ("column" in s) return s.column;
  if ("time" in s) return d.sql;
  return null;
}

/** Columns every event query reads besides those of its dimensions and metrics. */
export const BASE_COLUMNS = ["site_id", "event_id", "ts", "name", "visitor", "is_bot"] as const;
