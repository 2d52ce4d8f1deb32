import type { SaltKeeper } from "./salts.ts";

/**
 * The Worker's bindings (wrangler.toml). Vars are strings; secrets (`SINK_TOKEN`,
 * `CLICKHOUSE_PASSWORD`) have no defaults and are set with `wrangler secret put`.
 */
export interface Env {
  /** Queue the ingest path writes to and the consumer reads from. */
  EVENTS: Queue<string>;
  /** Durable Object holding the daily salts for every instance. */
  SALTS: DurableObjectNamespace<SaltKeeper>;
  /** Optional KV namespace with the site directory under the key `SITES_KEY` (default `sites`). */
  SITES?: KVNamespace;
  /** Path prefix the Worker is mounted on, e.g. `/sl` for `example.com/sl/*`. */
  BASE_PATH?: string;
  /** Site directory as JSON (`[{"id","domains"}]`), used when no `SITES` KV namespace is bound. */
  SITES_JSON?: string;
  SITES_KEY?: string;
  /** How long the site directory is cached in memory, in seconds (default 60). */
  SITES_TTL_SECONDS?: string;
  /** `ndjson` (collector-node's internal endpoint or Vector's http_server) or `clickhouse`. */
  SINK?: string;
  /** NDJSON sink: the endpoint URL and its bearer token (secret). */
  SINK_URL?: string;
  SINK_TOKEN?: string;
  /** ClickHouse sink: HTTP interface URL, user, password (secret) and database. */
  CLICKHOUSE_URL?: string;
  CLICKHOUSE_USER?: string;
  CLICKHOUSE_PASSWORD?: string;
  CLICKHOUSE_DATABASE?: string;
  /** First retry delay in seconds; doubles per attempt up to 15 minutes (default 10). */
  RETRY_BASE_SECONDS?: string;
  /** `"false"` ignores `Sec-GPC: 1` / `DNT: 1` (default: honoured, the cookieless daily id is used). */
  HONOR_PRIVACY_SIGNALS?: string;
  /** `"true"` ignores every tracker visitor id: all visitors get the cookieless daily id. */
  COOKIELESS?: string;
  /** Query keys kept besides the built-in allowlist, comma-separated (e.g. `page,lang`). */
  EXTRA_QUERY_KEYS?: string;
  /** Optional Workers rate limiters: requests per client (keyed by a salted IP hash) and per site. */
  RATE_LIMIT_IP?: RateLimit;
  RATE_LIMIT_SITE?: RateLimit;
  /** Retry-After seconds of a 429: the rate limiters' period (default 60). */
  RATE_LIMIT_PERIOD_SECONDS?: string;
}

export function flagVar(value: string | undefined, fallback: boolean): boolean {
  const v = value?.trim().toLowerCase();
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  return fallback;
}

export function basePath(env: Env): string {
  const raw = (env.BASE_PATH ?? "/sl").trim();
  if (raw === "" || raw === "/") return "";
  return `/${raw.replace(/^\/+|\/+$/g, "")}`;
}

/** A non-negative number from a string var, or the fallback when unset or not a number. */
export function numberVar(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}
