import { appendFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DATABASE, loadSettings, migrate, openClickHouse } from "@sightline/config";
import { type EventRow, formatTimestamp } from "@sightline/edge";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { CheckpointFile } from "./checkpoint.ts";
import { toNdjson } from "./ingest.ts";
import { Shipper } from "./shipper.ts";

// One embedded engine for the whole file: chDB binds one folder per process.
const dataDir = mkdtempSync(join(tmpdir(), "sl-shipper-"));
const ch = openClickHouse(loadSettings({ cwd: dataDir, env: { SIGHTLINE_DATA_DIR: dataDir } }));
await migrate(ch.client);
afterAll(() => ch.close());

let spoolDir = "";
let site = "";
beforeEach(() => {
  spoolDir = mkdtempSync(join(dataDir, "spool-"));
  site = `site-${Math.random().toString(36).slice(2)}`;
});

function row(id: string): EventRow {
  const now = formatTimestamp(Date.now());
  return {
    event_id: id,
    site_id: site,
    ts: now,
    client_ts: now,
    name: "pageview",
    visitor_id: "v",
    session_id: "s",
    user_id: "",
    hostname: "example.com",
    pathname: "/",
    query: "",
    referrer: "",
    referrer_domain: "",
    channel: "direct",
    utm_source: "",
    utm_medium: "",
    utm_campaign: "",
    utm_term: "",
    utm_content: "",
    country: "",
    region: "",
    city: "",
    browser: "Chrome",
    browser_version: "140",
    os: "Linux",
    os_version: "",
    device: "desktop",
    language: "en",
    is_bot: 0,
    props: { plan: "pro" },
    revenue: 0,
    currency: "",
    engaged_ms: 0,
    scroll_depth: 0,
    tracker_version: "1",
  };
}

function rows(prefix: string, n: number): string {
  return toNdjson(Array.from({ length: n }, (_, i) => row(`${prefix}-${i}`)));
}

async function counts(): Promise<{ rows: number; ids: number }> {
  const rs = await ch.client.query({
    query: `SELECT count() AS rows, uniqExact(event_id) AS ids FROM ${DATABASE}.events WHERE site_id = {site:String}`,
    query_params: { site },
    format: "JSONEachRow",
  });
  const [r] = await rs.json<{ rows: number; ids: number }>();
  return { rows: Number(r?.rows), ids: Number(r?.ids) };
}

const shipperSession = ch.session();

function shipper(overrides: Partial<ConstructorParameters<typeof Shipper>[0]> = {}) {
  return new Shipper({
    spoolDir,
    client: shipperSession,
    batchRows: 1000,
    batchBytes: 1 << 20,
    intervalMs: 50,
    isSealed: () => true,
    ...overrides,
  });
}

describe("Shipper into embedded ClickHouse", () => {
  it("ships every line in batches, advances the checkpoint and removes sealed shipped files", async () => {
    writeFileSync(join(spoolDir, "events-a.ndjson"), rows("a", 2500));
    writeFileSync(join(spoolDir, "events-b.ndjson"), rows("b", 10));
    const s = shipper();
    await s.drain();
    expect(await counts()).toEqual({ rows: 2510, ids: 2510 });
    expect(s.stats.batches).toBe(3);
    expect(existsSync(join(spoolDir, "events-a.ndjson"))).toBe(false);
    expect(await s.lagBytes()).toBe(0);
  });

  it("resumes from its checkpoint after a restart without sending anything twice", async () => {
    const file = join(spoolDir, "events-a.ndjson");
    writeFileSync(file, rows("a", 30));
    await shipper({ isSealed: () => false }).drain();
    appendFileSync(file, rows("b", 20));
    await shipper({ isSealed: () => false }).drain();
    expect(await counts()).toEqual({ rows: 50, ids: 50 });
  });

  it("resends an in-flight batch with the same token, so a landed batch is not doubled", async () => {
    const file = join(spoolDir, "events-a.ndjson");
    writeFileSync(file, rows("a", 40));
    const first = shipper({ isSealed: () => false });
    await first.drain();
    // Simulate a crash after ClickHouse stored the batch but before the checkpoint moved.
    const checkpoint = new CheckpointFile(join(spoolDir, "shipper.checkpoint.json"));
    const state = checkpoint.read();
    const end = state.shipped["events-a.ndjson"] ?? 0;
    checkpoint.write({ shipped: {}, inflight: [{ file: "events-a.ndjson", start: 0, end }] });
    await shipper({ isSealed: () => false }).drain();
    expect(await counts()).toEqual({ rows: 40, ids: 40 });
  });

  it("skips a torn last line of a sealed file and ships the whole lines before it", async () => {
    writeFileSync(join(spoolDir, "events-a.ndjson"), `${rows("a", 3)}{"event_id":"torn`);
    await shipper().drain();
    expect(await counts()).toEqual({ rows: 3, ids: 3 });
    expect(existsSync(join(spoolDir, "events-a.ndjson"))).toBe(false);
  });

  it("keeps the spool and retries while ClickHouse refuses (outage simulated by a client double), then delivers everything", async () => {
    writeFileSync(join(spoolDir, "events-a.ndjson"), rows("a", 5));
    let refuse = 2;
    const flaky = new Proxy(shipperSession, {
      get(target, prop, receiver) {
        if (prop === "exec" && refuse > 0) {
          return async () => {
            refuse--;
            throw new Error("connection refused (test double for an unavailable server)");
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    const s = shipper({ client: flaky });
    s.start();
    const deadline = Date.now() + 15_000;
    while ((await counts()).ids < 5 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await s.stop();
    expect(s.stats.failures).toBe(2);
    expect(await counts()).toEqual({ rows: 5, ids: 5 });
  });
});

mkdirSync(dataDir, { recursive: true });
