import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClickHouseClient } from "@clickhouse/client";
import { type ClickHouse, loadSettings, migrate, openClickHouse } from "@sightline/config";
import { describe, expect, it } from "vitest";
import { eventStream, sleep, spoolShipped } from "./chaos-helpers.ts";
import { Shipper } from "./shipper.ts";
import { SpoolWriter } from "./spool-writer.ts";

describe("chaos: embedded ClickHouse closed for a while under a steady stream", () => {
  it("keeps spooling, retries, and counts every accepted event exactly once when it is back", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sl-chaos-outage-"));
    const settings = loadSettings({ cwd: dataDir, env: { SIGHTLINE_DATA_DIR: dataDir } });
    let ch: ClickHouse = openClickHouse(settings);
    await migrate(ch.client);
    let session = ch.session();
    // The shipper holds one client; this one forwards to whichever engine is open now.
    const client = new Proxy({} as ClickHouseClient, {
      get: (_, prop) => {
        const value = Reflect.get(session, prop, session);
        return typeof value === "function" ? value.bind(session) : value;
      },
    });
    const spoolDir = join(dataDir, "spool");
    const writer = new SpoolWriter({
      dir: spoolDir,
      maxFileBytes: 128 * 1024,
      maxFileAgeMs: 2000,
      fsync: "batch",
    });
    const shipper = new Shipper({
      spoolDir,
      client,
      batchRows: 200,
      batchBytes: 1 << 20,
      intervalMs: 50,
      maxWaitMs: 100,
      isSealed: (file) => file !== writer.activeFile,
    });
    shipper.start();
    const stream = eventStream(writer, "outage.test");
    try {
      await sleep(2000);
      const before = shipper.stats.shippedRows;
      expect(before).toBeGreaterThan(0);
      // Outage: the engine is closed; the stream goes on into the spool.
      await ch.close();
      await sleep(4000);
      expect(shipper.stats.failures).toBeGreaterThan(0);
      expect(await shipper.lagBytes()).toBeGreaterThan(0);
      // Back: a new engine on the same folder.
      ch = openClickHouse(settings);
      session = ch.session();
      await sleep(2000);
    } finally {
      await stream.stop();
      await writer.close();
    }
    const deadline = Date.now() + 30_000;
    while (!spoolShipped(spoolDir) && Date.now() < deadline) await sleep(100);
    await shipper.stop();
    try {
      const accepted = stream.accepted.size;
      const [raw] = await ch.read<{ ids: string; rows: string }>(
        "SELECT uniqExact(event_id) AS ids, count() AS rows FROM sightline.events WHERE site_id = 'outage.test'",
      );
      const [rollup] = await ch.read<{ n: string }>(
        "SELECT uniqExactMerge(events) AS n FROM sightline.events_hourly WHERE site_id = 'outage.test'",
      );
      expect(Number(raw?.ids)).toBe(accepted);
      expect(Number(rollup?.n)).toBe(accepted);
      expect(accepted).toBeGreaterThan(100);
    } finally {
      await ch.close();
    }
  }, 60_000);
});
