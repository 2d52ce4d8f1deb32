import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
// The backend package exports no demo module yet, so it is imported by path.
import { DEFAULT_SITE_IDS, demoSite, generateEvents, newRunId } from "@sightline/backend/demo";
import { type ClickHouse, DATABASE, migrate } from "@sightline/config";

// Demo data for the benches that need a loaded ClickHouse (queries, dashboard): generated NDJSON
// files read by the engine itself, bots routed to bot_events, as the built-in shipper loads them,
// but far faster than through the spool. A data folder that already holds events is reused.

export interface DemoDataOptions {
  events: number;
  days: number;
  seed: number;
  /** Where the generated files are written for the load, and removed after. */
  dataDir: string;
  /** Keep what the folder already holds (--data): load only into an empty one. */
  reuse: boolean;
}

const FILE_ROWS = 1_000_000;
export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** The demo sites, as `pnpm demo` creates them. */
export const demoSites = () => DEFAULT_SITE_IDS.map((id, i) => demoSite(id, i));

/** Writes the demo events as NDJSON files of about a million rows each. */
async function writeFiles(dir: string, o: DemoDataOptions): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  let out: ReturnType<typeof createWriteStream> | null = null;
  let inFile = 0;
  const close = () =>
    new Promise<void>((resolve, reject) => {
      if (!out) return resolve();
      out.end((error?: Error | null) => (error ? reject(error) : resolve()));
      out = null;
    });
  for (const rows of generateEvents({
    events: o.events,
    days: o.days,
    seed: o.seed,
    sites: demoSites(),
    now: Date.now(),
    runId: newRunId(),
    batchSize: 10_000,
  })) {
    if (!out) {
      const file = join(dir, `events-${files.length}.ndjson`);
      files.push(file);
      out = createWriteStream(file);
      inFile = 0;
    }
    const stream: ReturnType<typeof createWriteStream> = out;
    const text = `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;
    if (!stream.write(text)) await new Promise<void>((r) => stream.once("drain", () => r()));
    inFile += rows.length;
    if (inFile >= FILE_ROWS) await close();
  }
  await close();
  return files;
}

/** Loads the files as the built-in shipper does: the engine reads them (as plain strings). */
async function load(ch: ClickHouse, files: string[], events: number): Promise<void> {
  const rs = await ch.client.query({
    query: `SELECT name, type FROM system.columns WHERE database = {db:String} AND table = 'events' ORDER BY position`,
    query_params: { db: DATABASE },
    format: "JSONEachRow",
  });
  const structure = (await rs.json<{ name: string; type: string }>())
    .map((c) => `${c.name} ${c.type.replaceAll("LowCardinality(String)", "String")}`)
    .join(", ");
  const start = performance.now();
  for (const [i, path] of files.entries()) {
    for (const [table, bot] of [
      ["events", 0],
      ["bot_events", 1],
    ] as const) {
      await ch.client.command({
        query: `INSERT INTO ${DATABASE}.${table} SELECT * FROM file({path:String}, 'JSONEachRow', {structure:String}) WHERE is_bot = ${bot}`,
        query_params: { path, structure },
      });
    }
    const done = Math.min((i + 1) * FILE_ROWS, events);
    const s = (performance.now() - start) / 1000;
    console.log(
      `load: ${fmt(done)} / ${fmt(events)} events, ${s.toFixed(1)} s, ${fmt(done / s)} events/s`,
    );
  }
}

/** Migrates, then loads the demo events unless the folder is reused and already holds some. */
export async function ensureDemoData(ch: ClickHouse, o: DemoDataOptions): Promise<void> {
  await migrate(ch.client);
  const [stored] = await ch.read<{ n: number | string }>(
    `SELECT count() AS n FROM ${DATABASE}.events_with_bots`,
  );
  if (o.reuse && Number(stored?.n ?? 0) > 0) {
    console.log(`load: skipped, ${o.dataDir} already holds ${fmt(Number(stored?.n))} events`);
    return;
  }
  const genStart = performance.now();
  const files = await writeFiles(join(o.dataDir, "load"), o);
  console.log(
    `generate: ${files.length} files in ${((performance.now() - genStart) / 1000).toFixed(1)} s`,
  );
  await load(ch, files, o.events);
  rmSync(join(o.dataDir, "load"), { recursive: true, force: true });
}
