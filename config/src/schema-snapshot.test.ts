import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, readMigrations } from "./migrate.ts";

const created = (sql: string) =>
  [...sql.matchAll(/CREATE (?:TABLE|MATERIALIZED VIEW|DICTIONARY) IF NOT EXISTS (sightline\.\w+)/g)]
    .map((m) => m[1])
    .sort();

describe("config/clickhouse/schema.sql", () => {
  it("creates every table, view and dictionary that the migrations create, and no other", () => {
    const snapshot = readFileSync(join(MIGRATIONS_DIR, "schema.sql"), "utf8");
    const fromMigrations = readMigrations().flatMap((m) => created(m.sql));
    expect(created(snapshot)).toEqual([...fromMigrations, "sightline.schema_migrations"].sort());
  });

  it("carries each migration's TTL", () => {
    const snapshot = readFileSync(join(MIGRATIONS_DIR, "schema.sql"), "utf8");
    for (const m of readMigrations()) {
      for (const ttl of m.sql.match(/^\s*(?:MODIFY )?TTL [^\n]+/gm) ?? []) {
        expect(snapshot, m.name).toContain(ttl.replace(/^\s*(?:MODIFY )?/, ""));
      }
    }
  });
});
