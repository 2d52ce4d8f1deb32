// The process of the kill -9 test in migrate-layout.test.ts: opens a data folder's embedded
// ClickHouse and either builds the old event layout with the data the test gives it, or applies
// every migration, printing each progress line as it comes. The test kills it mid-migration.
//   node --import tsx src/migrate.crash-child.ts <data dir> old <rows.json> | all
import { readFileSync } from "node:fs";
import { openClickHouse } from "./clickhouse.ts";
import { migrate, readMigrations } from "./migrate.ts";
import { loadSettings } from "./settings.ts";

const [dataDir, mode, rowsFile] = process.argv.slice(2);
if (!dataDir || (mode !== "old" && mode !== "all")) {
  process.stderr.write("usage: migrate.crash-child.ts <data dir> old <rows.json> | all\n");
  process.exit(2);
}
const ch = openClickHouse(loadSettings({ cwd: dataDir, env: { SIGHTLINE_DATA_DIR: dataDir } }));
const log = (line: string) => process.stdout.write(`${line}\n`);
if (mode === "old") {
  // The layout before 0013: events and bot_events as 0001-0012 left them.
  await migrate(
    ch.client,
    readMigrations().filter((m) => m.version <= 12),
    log,
  );
  const { events, copies, bots } = JSON.parse(readFileSync(rowsFile ?? "", "utf8")) as {
    events: Record<string, unknown>[];
    copies: Record<string, unknown>[];
    bots: Record<string, unknown>[];
  };
  // Several inserts, so the old tables hold several parts, duplicates among them.
  for (let i = 0; i < events.length; i += 1000) {
    await ch.client.insert({
      table: "sightline.events",
      values: events.slice(i, i + 1000),
      format: "JSONEachRow",
    });
  }
  await ch.client.insert({ table: "sightline.events", values: copies, format: "JSONEachRow" });
  await ch.client.insert({ table: "sightline.bot_events", values: bots, format: "JSONEachRow" });
} else {
  await migrate(ch.client, undefined, log);
}
await ch.close();
log("done");
