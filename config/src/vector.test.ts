import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EVENT_COLUMNS } from "@sightline/edge";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { MIGRATIONS_DIR, readMigrations } from "./migrate.ts";
import { settingsSchema } from "./settings.ts";

// Vector cannot run on our machines: this test only reads the config and checks it against the
// migrations and collector-node's defaults (a mock of nothing; Vector itself is untested here).
const config = parse(
  readFileSync(fileURLToPath(new URL("../vector/vector.yaml", import.meta.url)), "utf8"),
) as {
  data_dir: string;
  acknowledgements: { enabled: boolean };
  sources: Record<string, Record<string, unknown>>;
  transforms: Record<string, { type: string; inputs: string[]; source?: string }>;
  sinks: Record<string, Record<string, unknown> & { inputs: string[] }>;
};

/** Column names of the first CREATE TABLE in `sql`, or of the one that creates `table`. */
function columnsOf(file: string, table?: string): string[] {
  let sql = readFileSync(join(MIGRATIONS_DIR, file), "utf8");
  if (table) sql = sql.slice(sql.indexOf(`CREATE TABLE IF NOT EXISTS sightline.${table}\n`));
  const body = sql.slice(sql.indexOf("(") + 1, sql.indexOf("\n)"));
  return body
    .split("\n")
    .map((l) => /^\s+(\w+)\s+\S/.exec(l)?.[1])
    .filter((c): c is string => Boolean(c));
}

/** Expands ${VAR:-default} with the defaults, as Vector does with the variable unset. */
const withDefaults = (s: string) => s.replace(/\$\{\w+:-([^}]*)\}/g, "$1");

describe("config/vector/vector.yaml (checked statically: Vector cannot run here)", () => {
  it("reads the spool where collector-node writes it by default, keeping checkpoints in data_dir", () => {
    const source = config.sources.spool_events;
    expect(source?.type).toBe("file");
    const defaults = settingsSchema.parse({});
    const spool = `${defaults.dataDir}/spool`;
    expect(((source?.include ?? []) as string[]).map(withDefaults)).toEqual([`${spool}/*.ndjson`]);
    expect(withDefaults(config.data_dir)).toBe(`${defaults.dataDir}/vector`);
    expect(source).not.toHaveProperty("ignore_older_secs");
    expect(source?.read_from).toBe("beginning");
  });

  it("acknowledges end to end and buffers on disk, blocking when full, for every sink", () => {
    expect(config.acknowledgements.enabled).toBe(true);
    for (const [name, sink] of Object.entries(config.sinks)) {
      expect(sink.acknowledgements, name).toEqual({ enabled: true });
      expect(sink.buffer, name).toMatchObject({ type: "disk", when_full: "block" });
      expect(sink.skip_unknown_fields, name).toBe(true);
      expect(sink.batch, name).toBeTruthy();
    }
  });

  it("sends rows to tables and columns that the migrations create", () => {
    const sinks = Object.values(config.sinks).filter((s) => s.type === "clickhouse");
    const tables = sinks.map((s) => `${s.database}.${s.table}`).sort();
    expect(tables).toEqual(["sightline.bot_events", "sightline.dead_letter", "sightline.events"]);
    const migrations = readMigrations();
    const created = (table: string) =>
      migrations.find((m) =>
        new RegExp(`CREATE TABLE IF NOT EXISTS sightline\\.${table}\\b`).test(m.sql),
      );
    // events: the spool rows are edge's EventRow, whose keys are exactly the table's columns after
    // every migration (schema.sql's snapshot; migrate.test checks a migrated engine too).
    expect(created("events")).toBeTruthy();
    expect(columnsOf("schema.sql", "events")).toEqual([...EVENT_COLUMNS]);
    expect(created("bot_events")?.sql).toMatch(/bot_events AS sightline\.events/);
    // dead letters: the fields the remap builds are the table's columns (received_at defaults).
    const source = config.transforms.dead_letters?.source ?? "";
    const fields = [...source.matchAll(/"(\w+)":/g)].map((m) => m[1]);
    const deadColumns = columnsOf(`${created("dead_letter")?.name}.sql`);
    expect(fields.sort()).toEqual(deadColumns.filter((c) => c !== "received_at").sort());
  });

  it("wires every input to a component that exists", () => {
    const names = new Set([...Object.keys(config.sources), ...Object.keys(config.transforms)]);
    const inputs = [
      ...Object.values(config.transforms).flatMap((t) => t.inputs),
      ...Object.values(config.sinks).flatMap((s) => s.inputs),
    ];
    for (const input of inputs) expect(names.has(input.split(".")[0] ?? ""), input).toBe(true);
  });
});
