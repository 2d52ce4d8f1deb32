import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
// The backend has no export for its reports yet, so the daily report is imported by path.
import { dailyStats } from "@sightline/backend/reports";
import {
  ingest,
  type Shipper,
  shipperFromSettings,
  spoolWriterFromSettings,
} from "@sightline/collector-node";
import { loadSettings, migrate, openClickHouse } from "@sightline/config";
import { type EventRow, formatTimestamp, ndjsonLines } from "@sightline/edge";

// `pnpm bench pipeline`: (1) built-in shipper rows/s from a spool of N events into embedded
// ClickHouse (materialized rollup attached), (2) freshness under a steady stream: time from the
// collector's 204 until the daily report (which reads the hourly rollup) counts the event.
// Everything runs in a temporary data folder that is removed at the end.

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    rate: { type: "string", default: "2000" },
    seconds: { type: "string", default: "20" },
    "no-file": { type: "boolean", default: false },
  },
});
const positive = (name: string, raw: string) => {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`bench pipeline: --${name} must be a positive integer`);
    process.exit(2);
  }
  return n;
};
const EVENTS = positive("events", values.events);
const RATE = positive("rate", values.rate);
const SECONDS = positive("seconds", values.seconds);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

const PAGES = [
  "/",
  "/pricing",
  "/blog",
  "/blog/launch",
  "/docs",
  "/docs/install",
  "/about",
  "/signup",
];
const BROWSERS = ["Chrome", "Firefox", "Safari", "Edge"];

function row(i: number, now: number): EventRow {
  const ts = formatTimestamp(now - (i % 3_600_000));
  return {
    event_id: `bench-${i.toString(36).padStart(8, "0")}-${(i * 2654435761) % 4294967296}`,
    site_id: `site-${i % 5}.test`,
    ts,
    received_at: ts,
    client_ts: ts,
    name: i % 9 === 0 ? "engagement" : "pageview",
    visitor_id: `visitor-${i % 50_000}`,
    session_id: `session-${i % 80_000}`,
    user_id: "",
    hostname: `site-${i % 5}.test`,
    pathname: PAGES[i % PAGES.length] ?? "/",
    query: "",
    referrer: i % 4 === 0 ? "https://www.google.com/" : "",
    referrer_domain: i % 4 === 0 ? "google.com" : "",
    channel: i % 4 === 0 ? "search" : "direct",
    utm_source: "",
    utm_medium: "",
    utm_campaign: "",
    utm_term: "",
    utm_content: "",
    country: ["DE", "US", "FR", "GB"][i % 4] ?? "",
    region: "",
    city: "",
    browser: BROWSERS[i % BROWSERS.length] ?? "",
    browser_version: "140",
    os: i % 3 === 0 ? "Windows" : "Linux",
    os_version: "",
    device: i % 5 === 0 ? "mobile" : "desktop",
    language: "en",
    is_bot: i % 50 === 0 ? 1 : 0,
    props: i % 9 === 0 ? { plan: "pro" } : {},
    revenue: 0,
    currency: "",
    engaged_ms: i % 9 === 0 ? 12_000 : 0,
    scroll_depth: i % 9 === 0 ? 75 : 0,
    tracker_version: "1",
  };
}

const dataDir = mkdtempSync(join(tmpdir(), "sl-bench-pipeline-"));
const settings = loadSettings({ cwd: dataDir, env: { SIGHTLINE_DATA_DIR: dataDir } });
const ch = openClickHouse(settings);
let failed = false;
try {
  await migrate(ch.client);

  // 1. Freshness, first, so the backlog's merges do not compete with it: RATE events/s through
  // the collector core into the spool, the shipper as the settings configure it, and the daily
  // report polled until it counts each event.
  let live: Shipper | null = null;
  const writer = spoolWriterFromSettings(settings, () => live?.poke());
  live = shipperFromSettings(settings, ch, { isSealed: (f) => f !== writer.activeFile });
  live.start();
  const site = "fresh.test";
  const deps = {
    salts: { saltFor: async () => "bench-salt" },
    sites: { get: (id: string) => ({ id, domains: [] }) },
    append: (lines: string) => writer.append(lines),
  };
  const acceptedAt: number[] = [];
  const freshness: number[] = [];
  let seen = 0;
  const today = new Date().toISOString().slice(0, 10);
  let polling = true;
  const poller = (async () => {
    while (polling || seen < acceptedAt.length) {
      const stats = await dailyStats(ch, { site, from: today, to: today, tz: "UTC" });
      const t = performance.now();
      // The spool keeps acceptance order, so the first `count` accepted events are all visible.
      for (; seen < Math.min(stats.totals.pageviews, acceptedAt.length); seen++) {
        freshness.push(t - (acceptedAt[seen] ?? t));
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const perBatch = 20;
  const batches = Math.round((RATE * SECONDS) / perBatch);
  const streamStart = performance.now();
  let n = 0;
  const sends: Promise<void>[] = [];
  for (let b = 0; b < batches; b++) {
    const due = streamStart + (b * perBatch * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const events = Array.from({ length: perBatch }, () => ({
      i: `fresh-event-${n++}`,
      n: "pageview",
      t: Date.now(),
      u: `https://${site}/p`,
      v: `v-${n % 500}`,
    }));
    sends.push(
      ingest(
        {
          body: JSON.stringify({ s: site, e: events }),
          ip: "192.0.2.1",
          userAgent: "Mozilla/5.0 Chrome/140.0",
          origin: null,
        },
        deps,
      ).then((res) => {
        if (res.status !== 204) throw new Error(`ingest answered ${res.status}`);
        const at = performance.now();
        for (let k = 0; k < perBatch; k++) acceptedAt.push(at);
      }),
    );
  }
  await Promise.all(sends);
  const achievedRate = acceptedAt.length / ((performance.now() - streamStart) / 1000);
  polling = false;
  const pollDeadline = Date.now() + 30_000;
  await Promise.race([
    poller,
    new Promise((r) => setTimeout(r, Math.max(0, pollDeadline - Date.now()))),
  ]);
  await live.stop();
  await writer.close();
  if (freshness.length < acceptedAt.length)
    throw new Error(
      `only ${freshness.length} of ${acceptedAt.length} events became visible within 30 s`,
    );
  freshness.sort((a, b) => a - b);
  const pct = (p: number) =>
    freshness[Math.min(freshness.length - 1, Math.floor(p * freshness.length))] ?? 0;

  // 2. Throughput: a backlog of EVENTS rows in 64 MB spool files, shipped with default batches.
  const backlog = join(dataDir, "backlog");
  mkdirSync(backlog);
  const now = Date.now();
  let file = 0;
  let chunk: string[] = [];
  let bytes = 0;
  const flush = () => {
    writeFileSync(
      join(backlog, `events-${String(file++).padStart(6, "0")}.ndjson`),
      chunk.join(""),
    );
    chunk = [];
    bytes = 0;
  };
  for (let i = 0; i < EVENTS; i++) {
    const line = ndjsonLines([row(i, now)]);
    // Files close before they pass spool.maxFileBytes, as the spool writer's do.
    if (bytes + line.length > settings.spool.maxFileBytes) flush();
    chunk.push(line);
    bytes += line.length;
    if (i === EVENTS - 1) {
      flush();
    }
  }
  const shipper = shipperFromSettings(settings, ch, {
    spoolDir: backlog,
    engineReadsFiles: !values["no-file"] && ch.mode === "embedded",
    isSealed: () => true,
  });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await shipper.drain();
  const elapsed = (performance.now() - started) / 1000;
  // The engine runs in this process, so this is the whole pipeline's CPU: on a shared machine it
  // says more than wall time.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const shipped = shipper.stats.shippedRows + shipper.stats.botRows;
  if (shipped !== EVENTS) throw new Error(`shipped ${shipped} rows, expected ${EVENTS}`);
  const rowsPerSecond = EVENTS / elapsed;

  console.log(
    `pipeline bench (embedded ClickHouse, ${process.env.UV_THREADPOOL_SIZE ?? "default"} libuv threads; machine may be shared)`,
  );
  console.log(
    `shipper: ${fmt(EVENTS)} events in ${elapsed.toFixed(2)} s = ${fmt(rowsPerSecond)} rows/s   (target >= 150,000 rows/s)`,
  );
  console.log(
    `  CPU ${cpuSeconds.toFixed(1)} s = ${fmt(EVENTS / cpuSeconds)} rows per CPU-second (${((cpuSeconds * 1e6) / EVENTS).toFixed(1)} µs/row), ${(cpuSeconds / elapsed).toFixed(2)} cores busy; load average ${loadavg()[0]?.toFixed(1)}`,
  );
  console.log(
    `freshness at ${fmt(achievedRate)} events/s for ${SECONDS} s (${fmt(acceptedAt.length)} events, shipper.maxWaitMs ${settings.shipper.maxWaitMs}):`,
  );
  console.log(
    `  p50 ${(pct(0.5) / 1000).toFixed(2)} s, p95 ${(pct(0.95) / 1000).toFixed(2)} s, max ${(pct(1) / 1000).toFixed(2)} s   (target p95 <= 2 s)`,
  );
} catch (error) {
  failed = true;
  console.error(`bench pipeline failed: ${(error as Error).message}`);
} finally {
  await ch.close();
  rmSync(dataDir, { recursive: true, force: true });
}
if (failed) process.exit(1);
