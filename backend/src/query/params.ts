import type { QueryParams } from "@sightline/config";

/**
 * Collects bound values for one query. `bind` hands back a `{pN:Type}` placeholder: the value
 * itself never enters the SQL text, and the type comes from our code, never from the client.
 */
export class Params {
  readonly values: QueryParams = {};
  #next = 0;
  #zone: string | null = null;

  /** `zone` is the query's time zone, for dimensions read in local time (hour of day). */
  constructor(readonly timeZone = "UTC") {}

  /** The query's time zone as a placeholder, bound once. */
  zone(): string {
    this.#zone ??= this.bind(this.timeZone, "String");
    return this.#zone;
  }

  bind(value: string | number | readonly string[], type: ParamType): string {
    const name = `p${this.#next++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }
}

export type ParamType = "String" | "Array(String)" | "UInt32" | "UInt64" | "Float64";
