import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type ClickHouseClient, createClient } from "@clickhouse/client";
import { createChdbConnection } from "chdb/connection";
import type { Settings } from "./settings.ts";

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>["connection"]>;

/** Every table Sightline owns lives in this database. */
export const DATABASE = "sightline";

/** Limits for every query that serves a report; readonly last, since it forbids later changes. */
export const READ_SETTINGS = {
  max_execution_time: 15,
  max_result_rows: "200000",
  result_overflow_mode: "throw",
  readonly: "1",
} as const;

export type QueryParams = Record<string, string | number | boolean | readonly string[]>;

export interface ClickHouse {
  /** For schema changes and inserts. Never give it text built from client input. */
  client: ClickHouseClient;
  /**
   * A client with a session of its own. Embedded chDB keeps every SET of a session, so settings
   * such as `insert_deduplication_token` would leak into later inserts of a shared client.
   */
  session(): ClickHouseClient;
  /** Runs one read-only SELECT with bound parameters and the limits above; returns its rows. */
  read<T>(query: string, params?: QueryParams): Promise<T[]>;
  /**
   * `read`, but yields rows in batches as they arrive (exports). Same read-only session and
   * limits. Over HTTP rows stream; embedded chDB hands over its whole answer as one batch.
   */
  stream<T>(query: string, params?: QueryParams): AsyncIterable<T[]>;
  /** `embedded` (chDB in this process) or `server` (a ClickHouse URL). */
  mode: "embedded" | "server";
  close(): Promise<void>;
}

/**
 * The one way into ClickHouse. Embedded chDB locks its folder, so only one process may open it
 * (see shared CHDB notes); a `clickhouse.url` switches the same client to a real server.
 */
export function openClickHouse(settings: Pick<Settings, "clickhouse" | "dataDir">): ClickHouse {
  const { url, user, password, requestTimeoutMs } = settings.clickhouse;
  if (url) {
    const client = createClient({
      url,
      username: user,
      password,
      request_timeout: requestTimeoutMs,
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    });
    const read = async <T>(query: string, params: QueryParams = {}) => {
      const rs = await client.query({
        query,
        query_params: params,
        format: "JSONEachRow",
        clickhouse_settings: READ_SETTINGS,
      });
      return rs.json<T>();
    };
    const stream = async function* <T>(query: string, params: QueryParams = {}) {
      const rs = await client.query({
        query,
        query_params: params,
        format: "JSONEachRow",
        clickhouse_settings: READ_SETTINGS,
      });
      for await (const rows of rs.stream<T>()) yield rows.map((row) => row.json<T>());
    };
    // Over HTTP every request stands alone, so one client serves every purpose.
    return {
      client,
      read,
      stream,
      session: () => client,
      mode: "server",
      close: () => client.close(),
    };
  }
  const path = join(settings.dataDir, "clickhouse");
  mkdirSync(path, { recursive: true });
  // chdb types the connection against its own copy of @clickhouse/client-common; the runtime contract is the same.
  const embedded = () =>
    createClient({ connection: createChdbConnection({ path }) as unknown as ClientConnection });
  const client = embedded();
  // An embedded session keeps SET values, so the reader gets its own session that is made
  // read-only once, before its first query, and can never be made writable again.
  let reader: { client: ClickHouseClient; ready: Promise<unknown> } | null = null;
  const openReader = () => {
    const own = embedded();
    return {
      client: own,
      ready: own.command({ query: "SELECT 1", clickhouse_settings: READ_SETTINGS }),
    };
  };
  const read = async <T>(query: string, params: QueryParams = {}) => {
    if (!reader) reader = openReader();
    const current = reader;
    try {
      await current.ready;
      const rs = await current.client.query({ query, query_params: params, format: "JSONEachRow" });
      return await rs.json<T>();
    } catch (error) {
      // A failed query can leave partial output in an embedded session; never reuse it.
      if (reader === current) reader = null;
      await current.client.close().catch(() => {});
      throw error;
    }
  };
  const stream = async function* <T>(query: string, params: QueryParams = {}) {
    yield await read<T>(query, params);
  };
  const sessions: ClickHouseClient[] = [client];
  return {
    client,
    read,
    stream,
    session: () => {
      const own = embedded();
      sessions.push(own);
      return own;
    },
    mode: "embedded",
    close: async () => {
      if (reader) await reader.client.close();
      for (const s of sessions.reverse()) await s.close();
    },
  };
}
