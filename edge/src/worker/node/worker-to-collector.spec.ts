import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleWorker, EDGE } from "./bundle.ts";

// The distributed path end to end: the bundled Worker in workerd (ingest, the Miniflare queue,
// its consumer) delivers NDJSON to a real collector-node process, which appends it to its spool.

const REPO = join(EDGE, "..");
const CLIENT_IP = "203.0.113.77";
const TOKEN = randomBytes(24).toString("hex");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Every spool line so far, parsed. */
function spoolRows(spool: string): Record<string, unknown>[] {
  if (!existsSync(spool)) return [];
  return readdirSync(spool)
    .filter((name) => name.endsWith(".ndjson"))
    .flatMap((name) => readFileSync(join(spool, name), "utf8").split("\n"))
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("Worker → queue → collector-node /internal/ndjson → spool", () => {
  let outdir = "";
  let dataDir = "";
  let collector: ChildProcess | null = null;
  let mf: Miniflare | null = null;

  beforeAll(async () => {
    ({ outdir } = await bundleWorker());
    dataDir = mkdtempSync(join(tmpdir(), "sightline-edge-collector-"));
    const port = await freePort();
    collector = spawn(
      join(REPO, "node_modules", ".bin", "tsx"),
      ["collector-node/src/server/main.ts"],
      {
        cwd: REPO,
        env: {
          ...process.env,
          SIGHTLINE_DATA_DIR: dataDir,
          SIGHTLINE_SERVER_HOST: "127.0.0.1",
          SIGHTLINE_SERVER_PORT: String(port),
          SIGHTLINE_COLLECTOR_WORKERS: "1",
          SIGHTLINE_COLLECTOR_INTERNAL_TOKEN: TOKEN,
        },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    await until("the collector's /healthz", async () =>
      (await fetch(`http://127.0.0.1:${port}/healthz`)).ok ? true : undefined,
    );
    mf = new Miniflare({
      modules: true,
      scriptPath: join(outdir, "index.js"),
      modulesRoot: outdir,
      modulesRules: [{ type: "Text", include: ["**/*-s.js"] }],
      compatibilityDate: "2026-04-20",
      cf: { country: "NL", region: "North Holland", city: "Amsterdam" },
      durableObjects: { SALTS: "SaltKeeper" },
      queueProducers: { EVENTS: "sightline-events" },
      queueConsumers: { "sightline-events": { maxBatchSize: 100, maxBatchTimeout: 1 } },
      bindings: {
        BASE_PATH: "/sl",
        SITES_JSON: JSON.stringify([{ id: "shop.example", domains: ["shop.example"] }]),
        SINK: "ndjson",
        SINK_URL: `http://127.0.0.1:${port}/internal/ndjson`,
        SINK_TOKEN: TOKEN,
        RETRY_BASE_SECONDS: "1",
      },
    });
  });

  afterAll(async () => {
    await mf?.dispose();
    if (collector && collector.exitCode === null) {
      const exited = new Promise((r) => collector?.once("exit", r));
      collector.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    rmSync(outdir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("lands each accepted event in the collector's spool once, enriched, with no raw IP", async () => {
    const ids = ["edge-e2e-1", "edge-e2e-2", "edge-e2e-3"];
    const response = await mf!.dispatchFetch("https://shop.example/sl/e", {
      method: "POST",
      body: JSON.stringify({
        s: "shop.example",
        sv: "3",
        e: ids.map((i, k) => ({
          i,
          n: "pageview",
          t: Date.now(),
          u: `https://shop.example/p/${k}?utm_source=news&email=a@b.example`,
        })),
      }),
      headers: {
        origin: "https://shop.example",
        "cf-connecting-ip": CLIENT_IP,
        "user-agent":
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36",
      },
    });
    expect(response.status).toBe(204);

    const spool = join(dataDir, "spool");
    const rows = await until("the events in the spool", async () => {
      const found = spoolRows(spool).filter((r) => ids.includes(String(r.event_id)));
      return found.length >= ids.length ? found : undefined;
    });
    expect(rows.map((r) => r.event_id).sort()).toEqual(ids);
    for (const [k, row] of rows
      .sort((a, b) => String(a.event_id).localeCompare(String(b.event_id)))
      .entries()) {
      expect(row).toMatchObject({
        site_id: "shop.example",
        name: "pageview",
        pathname: `/p/${k}`,
        utm_source: "news",
        country: "NL",
        browser: "Chrome",
        device: "desktop",
        is_bot: 0,
      });
      expect(String(row.query)).not.toContain("email");
    }
    for (const name of readdirSync(spool).filter((n) => n.endsWith(".ndjson"))) {
      expect(readFileSync(join(spool, name), "utf8")).not.toContain(CLIENT_IP);
    }
    // The queue delivered once: nothing else arrived after a moment more.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(spoolRows(spool).filter((r) => ids.includes(String(r.event_id)))).toHaveLength(3);
  });
});
