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
  const readers = new ReaderPool(embedded);
  const read = <T>(query: string, params: QueryParams = {}) =>
    readers.use(async (reader) => {
      const rs = await reader.query({ query, query_params: params, format: "JSONEachRow" });
      return rs.json<T>();
    });
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
      await readers.close();
      for (const s of sessions.reverse()) await s.close();
    },
  };
}

/** Read-only sessions kept for reuse; more are opened when more queries run at once. */
const IDLE_READERS = 4;

/**
 * Read-only embedded sessions, each lent to one query at a time. An embedded session keeps SET
 * values, so each is made read-only once, before its first query, and can never be made writable
 * again. A failed query can leave partial output in its session, so that session is thrown away,
 * and since no other query ever holds it, a failing query cannot disturb any other (one client's
 * bad regular expression used to close the session every report shared).
 */
export class ReaderPool {
  #idle: ClickHouseClient[] = [];
  #open = new Set<ClickHouseClient>();
  #closed = false;

  constructor(private readonly open: () => ClickHouseClient) {}

  async #take(): Promise<ClickHouseClient> {
    const idle = this.#idle.pop();
    if (idle) return idle;
    const reader = this.open();
    this.#open.add(reader);
    try {
      await reader.command({ query: "SELECT 1", clickhouse_settings: READ_SETTINGS });
    } catch (error) {
      await this.#discard(reader);
      throw error;
    }
    return reader;
  }

  async #discard(reader: ClickHouseClient): Promise<void> {
    this.#open.delete(reader);
    await reader.close().catch(() => {});
  }

  /** Runs `work` on a session of its own; the session is reused only if `work` succeeded. */
  async use<T>(work: (reader: ClickHouseClient) => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error("ClickHouse is closed");
    const reader = await this.#take();
    let result: T;
    try {
      result = await work(reader);
    } catch (error) {
      await this.#discard(reader);
      throw error;
    }
    if (this.#closed || this.#idle.length >= IDLE_READERS) await this.#discard(reader);
    else this.#idle.push(reader);
    return result;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#idle = [];
    for (const reader of [...this.#open]) await this.#discard(reader);
  }
}
