import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings } from "@sightline/config";
import { type CollectorServer, startCollectorServer } from "./server.ts";

/** `collector.metricsToken` of test collectors, and the header that opens `/metrics` with it. */
export const METRICS_TOKEN = "test-metrics-token-0123456789abcdef";
export const METRICS_AUTH = { authorization: `Bearer ${METRICS_TOKEN}` };

/** A standalone collector on 127.0.0.1 with a temp data folder, a sites file and captured logs. */
export async function testCollector(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "sl-collector-"));
  const sitesFile = join(dir, "sites.json");
  writeFileSync(sitesFile, JSON.stringify([{ id: "example.com", domains: ["example.com"] }]));
  const trackerPath = join(dir, "s.js");
  writeFileSync(trackerPath, `/* sightline tracker */${"window.sightline=1;".repeat(50)}`);
  const settings = loadSettings({
    cwd: dir,
    env: {
      SIGHTLINE_DATA_DIR: dir,
      SIGHTLINE_SERVER_PORT: "0",
      SIGHTLINE_SPOOL_FSYNC: "none",
      SIGHTLINE_COLLECTOR_SITES_FILE: sitesFile,
      SIGHTLINE_COLLECTOR_METRICS_TOKEN: METRICS_TOKEN,
      ...env,
    },
  });
  const logs: string[] = [];
  const collector: CollectorServer = await startCollectorServer(settings, {
    log: (line) => logs.push(line),
    trackerPath,
  });
  const base = `http://127.0.0.1:${collector.port}`;
  return {
    dir,
    settings,
    logs,
    base,
    collector,
    spoolDir: settings.spool.dir,
    /** Every spool line written so far. */
    spoolText(): string {
      return readdirSync(settings.spool.dir)
        .filter((f) => f.endsWith(".ndjson"))
        .sort()
        .map((f) => readFileSync(join(settings.spool.dir, f), "utf8"))
        .join("");
    },
    spoolRows(): Record<string, unknown>[] {
      return this.spoolText()
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    close: () => collector.close(),
  };
}

export function pageview(id: string, overrides: Record<string, unknown> = {}) {
  return {
    i: id,
    n: "pageview",
    t: Date.now() - 1000,
    u: "https://example.com/pricing?utm_source=news",
    r: "https://news.ycombinator.com/",
    v: "visitor-1",
    ...overrides,
  };
}

export const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
