import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, readMigrations } from "./migrate.ts";
import { VIEWS, viewStatement } from "./storage/views.ts";

const OBJECT =
  /(CREATE (?:TABLE|MATERIALIZED VIEW|DICTIONARY) IF NOT EXISTS|DROP (?:TABLE|VIEW) IF EXISTS) (sightline\.\w+)/g;

/** What the migrations leave, in order: objects created and not dropped later. */
function live(): Set<string> {
  const out = new Set<string>();
  for (const m of readMigrations()) {
    for (const [, verb, name] of m.sql.matchAll(OBJECT)) {
      if (verb?.startsWith("CREATE")) out.add(name as string);
      else out.delete(name as string);
    }
  }
  return out;
}

const snapshot = () => readFileSync(join(MIGRATIONS_DIR, "schema.sql"), "utf8");

describe("config/clickhouse/schema.sql", () => {
  it("creates every table, view and dictionary that the migrations and views leave, and no other", () => {
    const created = [...snapshot().matchAll(OBJECT)].map((m) => m[2]).sort();
    const expected = [
      ...live(),
      ...VIEWS.map((v) => `sightline.${v.name}`),
      "sightline.schema_migrations",
    ].sort();
    expect(created).toEqual(expected);
  });

  it("carries the TTL of each table the migrations leave", () => {
    const tables = live();
    for (const m of readMigrations()) {
      for (const statement of m.sql.split(/;\s*\n/)) {
        const name = /(?:CREATE TABLE IF NOT EXISTS|ALTER TABLE) (sightline\.\w+)/.exec(
          statement,
        )?.[1];
        if (!name || !tables.has(name)) continue;
        for (const ttl of statement.match(/^\s*(?:MODIFY )?TTL [^\n]+/gm) ?? []) {
          expect(snapshot(), `${m.name} ${name}`).toContain(ttl.replace(/^\s*(?:MODIFY )?/, ""));
        }
      }
    }
  });

  it("shows each view as migrate() creates it", () => {
    for (const view of VIEWS) expect(snapshot()).toContain(`${viewStatement(view)};`);
  });
});
