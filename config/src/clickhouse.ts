import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type ClickHouseClient, createClient } from "@clickhouse/client";
import { createChdbConnection } from "chdb/connection";
import type { Settings } from "./settings.ts";

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>["connection"]>;

/** Every table Sightline owns lives in this database. */
export const DATABASE = "sightline";

export interface ClickHouse {
  client: ClickHouseClient;
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
    return { client, mode: "server", close: () => client.close() };
  }
  const path = join(settings.dataDir, "clickhouse");
  mkdirSync(path, { recursive: true });
  // chdb types the connection against its own copy of @clickhouse/client-common; the runtime contract is the same.
  const connection = createChdbConnection({ path }) as unknown as ClientConnection;
  const client = createClient({ connection });
  return { client, mode: "embedded", close: () => client.close() };
}
