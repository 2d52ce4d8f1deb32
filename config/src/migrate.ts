import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ClickHouseClient } from "@clickhouse/client";
import { DATABASE } from "./clickhouse.ts";

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "clickhouse");

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Numbered `NNNN_name.sql` files, in order. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.replace(/\.sql$/, ""),
      sql: readFileSync(join(dir, file), "utf8"),
    }));
}

/** Splits a migration into statements; our files keep `;` only at statement ends. */
function statements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) =>
      s
        .split("\n")
        .filter((line) => !line.trim().startsWith("--"))
        .join("\n")
        .trim(),
    )
    .filter(Boolean);
}

/** Applies the migrations not yet recorded in `schema_migrations`; returns the names applied. */
export async function migrate(
  client: ClickHouseClient,
  migrations = readMigrations(),
  log: (line: string) => void = () => {},
): Promise<string[]> {
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${DATABASE}` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${DATABASE}.schema_migrations
      (version UInt32, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = ReplacingMergeTree ORDER BY version`,
  });
  const result = await client.query({
    query: `SELECT DISTINCT version FROM ${DATABASE}.schema_migrations`,
    format: "JSONEachRow",
  });
  const done = new Set((await result.json<{ version: number }>()).map((r) => Number(r.version)));
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    log(`applying migration ${migration.name}`);
    // Each statement is idempotent, so a crash between them is repaired by running again.
    for (const statement of statements(migration.sql)) await client.command({ query: statement });
    await client.insert({
      table: `${DATABASE}.schema_migrations`,
      values: [{ version: migration.version, name: migration.name }],
      format: "JSONEachRow",
    });
    applied.push(migration.name);
  }
  return applied;
}
