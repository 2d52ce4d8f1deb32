import type { Params } from "./params.ts";
import type { SessionColumn } from "./sessions.ts";

/**
 * Every dimension a client may name, and the SQL it stands for. Identifiers in compiled SQL come
 * only from here; a property key is a bound parameter inside `props[...]`.
 */
export interface DimensionDef {
  /** The SQL, or a function of the query's time-zone placeholder for local-time dimensions. */
  sql: string | ((zone: string) => string);
  /** Raw columns it reads. */
  columns: readonly string[];
  /** Derived from the query-time session (entry and exit page): the session column it reads. */
  session?: SessionColumn;
}

const column = (name: string): DimensionDef => ({ sql: name, columns: [name] });

export const DIMENSIONS: Readonly<Record<string, DimensionDef>> = {
  page: column("pathname"),
  entry_page: { sql: "s_entry", columns: ["pathname"], session: "s_entry" },
  exit_page: { sql: "s_exit", columns: ["pathname"], session: "s_exit" },
  hostname: column("hostname"),
  referrer: column("referrer"),
  referrer_domain: column("referrer_domain"),
  channel: column("channel"),
  utm_source: column("utm_source"),
  utm_medium: column("utm_medium"),
  utm_campaign: column("utm_campaign"),
  utm_term: column("utm_term"),
  utm_content: column("utm_content"),
  country: column("country"),
  region: column("region"),
  city: column("city"),
  browser: column("browser"),
  browser_version: column("browser_version"),
  os: column("os"),
  os_version: column("os_version"),
  device: column("device"),
  language: column("language"),
  event: column("name"),
  currency: column("currency"),
  /** 1 (Monday) to 7 (Sunday), in the query's zone. */
  day_of_week: { sql: (zone) => `toString(toDayOfWeek(ts, 0, ${zone}))`, columns: ["ts"] },
  /** "00" to "23", in the query's zone. */
  hour_of_day: { sql: (zone) => `leftPad(toString(toHour(ts, ${zone})), 2, '0')`, columns: ["ts"] },
};

const PROPERTY = /^prop:(.{1,64})$/su;

/** A dimension with its SQL made concrete: local-time dimensions read the query's zone. */
export interface ResolvedDimension extends DimensionDef {
  sql: string;
}

/** The SQL of a dimension, or null when the name is not allowed. */
export function dimension(name: string, params: Params): ResolvedDimension | null {
  if (Object.hasOwn(DIMENSIONS, name)) {
    const d = DIMENSIONS[name];
    if (!d) return null;
    return { ...d, sql: typeof d.sql === "function" ? d.sql(params.zone()) : d.sql };
  }
  const key = PROPERTY.exec(name)?.[1];
  if (key === undefined) return null;
  return { sql: `props[${params.bind(key, "String")}]`, columns: ["props"] };
}

/** Columns every query reads besides those of its dimensions and metrics. */
export const BASE_COLUMNS = ["site_id", "event_id", "ts", "name", "visitor_id", "is_bot"] as const;
