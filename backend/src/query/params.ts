import { type QueryParams, sqlString } from "@sightline/config";

/** Site ids as sites are created (schemas/sites.ts): nothing in them can end a string literal. */
const SITE_ID = /^[a-z0-9][a-z0-9._-]{0,252}$/;
/** IANA zone names (query/zones.ts checks them against the database's list). */
const ZONE = /^[A-Za-z][A-Za-z_]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;

/**
 * Collects the values of one query. Client text is bound: `bind` hands back a `{pN:Type}`
 * placeholder, so the value never enters the SQL text, and the type comes from our code. Site ids
 * and time zones, which only reach a query after they were checked against our own lists (the
 * sites in the store, the database's zones), and numbers our code computed are written as
 * literals: embedded chDB runs statements with bound parameters one at a time process-wide, so a
 * report without client text can run beside the others (CHDB.md).
 */
export class Params {
  readonly values: QueryParams = {};
  #next = 0;
  #zone: string | null = null;

  /** `zone` is the query's time zone, for dimensions read in local time (hour of day). */
  constructor(readonly timeZone = "UTC") {}

  /** The query's time zone as SQL. */
  zone(): string {
    this.#zone ??= this.timeZoneSql(this.timeZone);
    return this.#zone;
  }

  /** A time zone as SQL: a literal when it is a zone name, else bound. */
  timeZoneSql(tz: string): string {
    return ZONE.test(tz) ? sqlString(tz) : this.bind(tz, "String");
  }

  /** Site ids as an SQL array: literals when every one is a site id, else bound. */
  sites(ids: readonly string[]): string {
    return ids.every((id) => SITE_ID.test(id))
      ? `[${ids.map(sqlString).join(", ")}]`
      : this.bind(ids, "Array(String)");
  }

  bind(value: string | number | readonly string[], type: ParamType): string {
    const name = `p${this.#next++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }

  /** Whether any value had to be bound (then the statement queues behind other bound ones). */
  get bound(): boolean {
    return this.#next > 0;
  }
}

export type ParamType = "String" | "Array(String)" | "UInt32" | "UInt64" | "Float64";
