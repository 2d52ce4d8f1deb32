import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ClickHouseClient } from "@clickhouse/client";
import { DATABASE } from "./clickhouse.ts";
import { syncViews } from "./storage/views.ts";

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "clickhouse");

export interface Migration {
  version: number;
  name: string;
  /** The file's text: SQL statements, or the source of a code migration. */
  sql: string;
  /** Where it is: `NNNN_name.sql`, or `NNNN_name.ts` for a migration that must run code. */
  file: string;
}

/** What a code migration gets: the writing client and a line logger for its progress. */
export interface MigrationContext {
  client: ClickHouseClient;
  log: (line: string) => void;
}

/**
 * Numbered `NNNN_name.sql` files and `NNNN_name.ts` code migrations, in order. A code migration
 * exports `up(context)`; it is for work one SQL statement cannot do safely (moving data with
 * progress, resumable after a crash), and must be as re-runnable as the SQL ones.
 */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[\w-]+\.(sql|ts)$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.replace(/\.(sql|ts)$/, ""),
      sql: readFileSync(join(dir, file), "utf8"),
      file: join(dir, file),
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

async function apply(migration: Migration, context: MigrationContext): Promise<void> {
  if (migration.file.endsWith(".ts")) {
    const code = (await import(pathToFileURL(migration.file).href)) as {
      up?: (context: MigrationContext) => Promise<void>;
    };
    if (typeof code.up !== "function") throw new Error(`${migration.name}: no up() exported`);
    await code.up(context);
    return;
  }
  // Each statement is idempotent, so a crash between them is repaired by running again.
  for (const statement of statements(migration.sql)) {
    await context.client.command({ query: statement });
  }
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, then brings the materialized
 * views to their definitions in code (src/storage/views.ts); returns the names of the migrations
 * applied.
 */
export async function migrate(
  client: ClickHouseClient,
  migrations = readMigrations(),
  log: (line: string) => void = () => {},
  options: { views?: boolean } = {},
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
    await apply(migration, { client, log });
    await client.insert({
      table: `${DATABASE}.schema_migrations`,
      values: [{ version: migration.version, name: migration.name }],
      format: "JSONEachRow",
    });
    applied.push(migration.name);
  }
  // Views read tables of the last migration; a list without it (a test of an old layout) skips them.
  const latest = Math.max(...readMigrations().map((m) => m.version));
  if (options.views ?? migrations.some((m) => m.version === latest)) await syncViews(client, log);
  return applied;
}
