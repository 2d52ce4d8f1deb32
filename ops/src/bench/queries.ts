import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
// The backend package exports no report or demo modules yet, so they are imported by path.
import { DEFAULT_SITE_IDS } from "@sightline/backend/demo";
import {
  breakdown,
  events,
  funnel,
  journeys,
  overview,
  retention,
} from "@sightline/backend/reports";
import { DATABASE, loadSettings, openClickHouse } from "@sightline/config";
import { ensureDemoData, fmt } from "./lib/demo-data.ts";

// `pnpm bench queries`: loads demo events into embedded ClickHouse, then times the standard reports
// (the compiled SQL through the read-only session, as the API runs it, without HTTP) and prints
// the median of the runs. Everything happens in a temporary data folder removed at the end, unless
// --data names a folder to keep (a second run over it skips the load).

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "10000000" },
    days: { type: "string", default: "30" },
    runs: { type: "string", default: "5" },
    data: { type: "string" },
    seed: { type: "string", default: "1" },
  },
});

function positive(name: string, raw: string): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`bench queries: --${name} must be a positive integer`);
    process.exit(2);
  }
  return n;
}

const EVENTS = positive("events", values.events);
const DAYS = positive("days", values.days);
const RUNS = positive("runs", values.runs);
const SEED = Number(values.seed);
const keep = values.data !== undefined;
const dataDir = keep
  ? resolve(values.data as string)
  : mkdtempSync(join(tmpdir(), "sl-bench-queries-"));
mkdirSync(dataDir, { recursive: true });
const settings = loadSettings({ cwd: dataDir, env: { SIGHTLINE_DATA_DIR: dataDir } });
const ch = openClickHouse(settings);

function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function time(name: string, run: () => Promise<unknown>, target?: number): Promise<void> {
  const ms: number[] = [];
  try {
    await run(); // warm-up: caches and the reader session
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await run();
      ms.push(performance.now() - t);
    }
  } catch (error) {
    // A report over the query time limit answers 503; say so and go on with the others.
    console.log(`${name.padEnd(10)} failed after ${ms.length} runs: ${(error as Error).message}`);
    if (target) console.log(`${"".padEnd(10)} target: median <= ${target} ms`);
    process.exitCode = 1;
    return;
  }
  ms.sort((a, b) => a - b);
  const verdict = target
    ? `   target <= ${target} ms: ${median(ms) <= target ? "met" : "NOT met"}`
    : "";
  console.log(
    `${name.padEnd(10)} median ${median(ms).toFixed(0).padStart(6)} ms   min ${ms[0]?.toFixed(0)} ms   max ${ms.at(-1)?.toFixed(0)} ms   (${RUNS} runs)${verdict}`,
  );
}

try {
  console.log(
    `bench queries: ${fmt(EVENTS)} demo events over ${DAYS} days, seed ${SEED}, in ${dataDir}`,
  );
  await ensureDemoData(ch, { events: EVENTS, days: DAYS, seed: SEED, dataDir, reuse: keep });

  const site = DEFAULT_SITE_IDS[0];
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  const scope = { sites: [site], from, to, tz: "Europe/Berlin" };
  const [count] = await ch.read<{ n: number | string }>(
    `SELECT count() AS n FROM ${DATABASE}.events WHERE site_id = {site:String}`,
    { site },
  );
  // The site's most viewed pages give the funnel and journeys something real to follow.
  const top = await ch.read<{ pathname: string }>(
    `SELECT pathname FROM ${DATABASE}.events WHERE site_id = {site:String} AND name = 'pageview'
     GROUP BY pathname ORDER BY count() DESC LIMIT 3`,
    { site },
  );
  const pages = top.map((r) => r.pathname);
  console.log(
    `reports on ${site} (${fmt(Number(count?.n ?? 0))} human events), ${from} to ${to}, Europe/Berlin; top pages ${pages.join(", ")}`,
  );

  await time(
    "overview",
    () => overview(ch, { ...scope, compare: "previous_period" }, Date.now()),
    300,
  );
  for (const kind of ["pages", "sources", "geography", "devices"] as const) {
    await time(kind, () => breakdown(ch, kind, scope));
  }
  await time("events", () => events(ch, scope));
  await time("funnel", () =>
    funnel(ch, { ...scope, steps: pages.map((page) => ({ page })), window: 3600 }),
  );
  await time("retention", () => retention(ch, { ...scope, period: "week" }));
  await time("journeys", () =>
    journeys(ch, { ...scope, page: pages[0] ?? "/", direction: "after", steps: 3 }),
  );
} finally {
  await ch.close();
  if (!keep) rmSync(dataDir, { recursive: true, force: true });
}
