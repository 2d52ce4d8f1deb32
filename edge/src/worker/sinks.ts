import type { Env } from "./env.ts";

/** One delivery: the NDJSON lines of a queue batch and the ids of its messages. */
export interface Delivery {
  ndjson: string;
  messageIds: readonly string[];
}

export interface Sink {
  readonly name: string;
  deliver(delivery: Delivery): Promise<void>;
}

/** A sink that cannot work with the Worker's settings (missing secret, bad URL). */
export class SinkConfigError extends Error {}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Sink URLs must be https; plain http only to loopback (local development and tests). */
function sinkUrl(value: string | undefined, setting: string): URL {
  if (!value) throw new SinkConfigError(`${setting} is not set`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SinkConfigError(`${setting} is not a URL`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    throw new SinkConfigError(`${setting} must be an https:// URL`);
  }
  return url;
}

async function failure(response: Response, sink: string): Promise<Error> {
  const detail = (await response.text().catch(() => "")).slice(0, 300);
  return new Error(`${sink} answered ${response.status}${detail ? `: ${detail}` : ""}`);
}

/** NDJSON over HTTP with a bearer token: collector-node's `/internal/ndjson` or Vector's `http_server`. */
export function ndjsonSink(env: Env): Sink {
  const url = sinkUrl(env.SINK_URL, "SINK_URL");
  const token = env.SINK_TOKEN;
  if (!token) throw new SinkConfigError("the SINK_TOKEN secret is not set");
  return {
    name: "ndjson",
    async deliver({ ndjson }) {
      const response = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
        body: ndjson,
      });
      if (!response.ok) throw await failure(response, "ndjson sink");
      await response.body?.cancel();
    },
  };
}

/**
 * The same batch always gets the same token, so when ClickHouse stored an insert whose answer
 * was lost, the retry is recognised and dropped.
 */
export async function deduplicationToken(messageIds: readonly string[]): Promise<string> {
  const ids = [...messageIds].sort().join(",");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(ids));
  let hex = "";
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, "0");
  return `sl-edge-${hex}`;
}

const DATABASE = /^[A-Za-z_]\w*$/;
// JSON strings escape every quote, so this can only be the is_bot key of a row.
const BOT_MARKER = '"is_bot":1';

/** Splits NDJSON lines into human and bot rows (bots are stored apart, in `bot_events`). */
export function splitBots(ndjson: string): { humans: string; bots: string } {
  let humans = "";
  let bots = "";
  for (const line of ndjson.split("\n")) {
    if (line === "") continue;
    if (line.includes(BOT_MARKER)) bots += `${line}\n`;
    else humans += `${line}\n`;
  }
  return { humans, bots };
}

/**
 * ClickHouse's HTTP interface: `INSERT INTO <db>.events FORMAT JSONEachRow` (and `bot_events` for
 * bot rows), each with the batch's deduplication token, so a retried batch is not stored twice.
 */
export function clickhouseSink(env: Env): Sink {
  const base = sinkUrl(env.CLICKHOUSE_URL, "CLICKHOUSE_URL");
  if (!env.CLICKHOUSE_PASSWORD) {
    throw new SinkConfigError("the CLICKHOUSE_PASSWORD secret is not set");
  }
  const password: string = env.CLICKHOUSE_PASSWORD;
  const user = env.CLICKHOUSE_USER || "default";
  const database = env.CLICKHOUSE_DATABASE || "sightline";
  if (!DATABASE.test(database)) throw new SinkConfigError("CLICKHOUSE_DATABASE is not a name");

  async function insert(table: string, body: string, token: string): Promise<void> {
    const url = new URL(base);
    url.searchParams.set("query", `INSERT INTO ${database}.${table} FORMAT JSONEachRow`);
    url.searchParams.set("insert_deduplication_token", token);
    url.searchParams.set("insert_deduplicate", "1");
    url.searchParams.set("async_insert", "0");
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "x-clickhouse-user": user,
        "x-clickhouse-key": password,
        "content-type": "application/x-ndjson",
      },
      body,
    });
    if (!response.ok) throw await failure(response, `ClickHouse (${table})`);
    await response.body?.cancel();
  }

  return {
    name: "clickhouse",
    async deliver({ ndjson, messageIds }) {
      const token = await deduplicationToken(messageIds);
      const { humans, bots } = splitBots(ndjson);
      // Deduplication is per table, so both inserts can carry the batch's token.
      if (humans) await insert("events", humans, token);
      if (bots) await insert("bot_events", bots, token);
    },
  };
}

/** The sink named by `SINK`; throws `SinkConfigError` naming what is missing. */
export function sinkFor(env: Env): Sink {
  const kind = env.SINK ?? "ndjson";
  if (kind === "ndjson") return ndjsonSink(env);
  if (kind === "clickhouse") return clickhouseSink(env);
  throw new SinkConfigError(`SINK must be "ndjson" or "clickhouse", not "${kind}"`);
}
