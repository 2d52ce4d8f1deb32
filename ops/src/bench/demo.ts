import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
// The backend package has no export for its demo module yet, so it is imported by path.
import {
  DEFAULT_SITE_IDS,
  DemoLineEncoder,
  DemoSpoolWriter,
  demoSite,
  generateEvents,
  newRunId,
} from "@sightline/backend/demo";
import { Shipper } from "@sightline/collector-node";
import { DATABASE, loadSettings, migrate, openClickHouse } from "@sightline/config";

// `pnpm bench demo`: how fast `pnpm demo` generates events into a spool, and how fast the built-in
// shipper loads that spool into embedded ClickHouse. Everything happens in a temporary data
// folder that is removed at the end.

function options() {
  try {
    return parseArgs({
      options: {
        events: { type: "string", default: "1000000" },
        days: { type: "string", default: "30" },
        seed: { type: "string", default: "1" },
      },
    }).values;
  } catch (error) {
    console.error(`bench demo: ${(error as Error).message.split("\n")[0]} (use --events=N)`);
    process.exit(2);
  }
}

const values = options();

function positive(name: string, raw: string): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`bench demo: --${name} must be a positive integer`);
    process.exit(2);
  }
  return n;
}

const EVENTS = positive("events", values.events);
const DAYS = positive("days", values.days);
const SEED = Number(values.seed);
const MiB = 1024 * 1024;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const dataDir = mkdtempSync(join(tmpdir(), "sl-bench-demo-"));
const settings = loadSettings({ cwd: dataDir, env: { SIGHTLINE_DATA_DIR: dataDir } });
const spoolDir = settings.spool.dir;
let failed = false;

try {
  console.log(`bench demo: ${fmt(EVENTS)} events over ${DAYS} days, seed ${SEED}, in ${dataDir}`);

  // 1. Generate into the spool, exactly as `pnpm demo` does.
  const writer = new DemoSpoolWriter({ dir: spoolDir, maxFileBytes: settings.spool.maxFileBytes });
  const encoder = new DemoLineEncoder();
  const sites = DEFAULT_SITE_IDS.map((id, i) => demoSite(id, i));
  const genStart = performance.now();
  for (const rows of generateEvents({
    events: EVENTS,
    days: DAYS,
    seed: SEED,
    sites,
    now: Date.now(),
    runId: newRunId(),
  })) {
    writer.write(encoder.encode(rows));
  }
  writer.close();
  const genMs = performance.now() - genStart;
  const mib = writer.bytes / MiB;
  console.log(
    `generate: ${fmt(EVENTS)} events, ${mib.toFixed(1)} MiB in ${writer.files.length} spool files, ${seconds(genMs)}: ${fmt((EVENTS * 1000) / genMs)} events/s, ${((mib * 1000) / genMs).toFixed(1)} MiB/s, ${Math.round(writer.bytes / EVENTS)} bytes/event, peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MiB`,
  );

  // 2. Ship the spool with the built-in shipper, as the all-in-one server would.
  const ch = openClickHouse(settings);
  try {
    await migrate(ch.client);
    const shipper = new Shipper({
      spoolDir,
      client: ch.session(),
      isSealed: () => true,
      batchRows: 50_000,
      batchBytes: 32 * MiB,
      intervalMs: 100,
    });
    const shipStart = performance.now();
    await shipper.drain();
    const shipMs = performance.now() - shipStart;
    const { shippedRows, botRows, batches } = shipper.stats;
    const shipped = shippedRows + botRows;
    console.log(
      `ship: ${fmt(shipped)} rows (${fmt(botRows)} of them bots) in ${batches} batches, ${seconds(shipMs)}: ${fmt((shipped * 1000) / shipMs)} rows/s, ${((mib * 1000) / shipMs).toFixed(1)} MiB/s`,
    );

    // 3. Every event arrived once. Bot rows may be routed to their own table: count both.
    const rs = await ch.client.query({
      query: `SELECT _table AS table, count() AS rows, uniqExact(event_id) AS ids
        FROM merge('${DATABASE}', '^(events|bot_events)$') GROUP BY _table ORDER BY _table`,
      format: "JSONEachRow",
    });
    const tables = await rs.json<{ table: string; rows: number | string; ids: number | string }>();
    const rows = tables.reduce((sum, t) => sum + Number(t.rows), 0);
    const ids = tables.reduce((sum, t) => sum + Number(t.ids), 0);
    const parts = await ch.client.query({
      query: `SELECT sum(bytes_on_disk) AS bytes FROM system.parts
        WHERE database = '${DATABASE}' AND table IN ('events', 'bot_events') AND active`,
      format: "JSONEachRow",
    });
    const [disk] = await parts.json<{ bytes: number | string }>();
    console.log(
      `check: count() = ${fmt(rows)}, uniqExact(event_id) = ${fmt(ids)} (${tables.map((t) => `${t.table} ${fmt(Number(t.rows))}`).join(", ")}); ${(Number(disk?.bytes ?? 0) / MiB).toFixed(1)} MiB on disk in ClickHouse`,
    );
    if (rows !== EVENTS || ids !== EVENTS) {
      console.error(`bench demo: expected ${fmt(EVENTS)} rows with distinct event ids`);
      failed = true;
    }
  } finally {
    await ch.close();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
