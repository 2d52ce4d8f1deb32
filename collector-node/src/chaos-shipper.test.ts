import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings, openClickHouse } from "@sightline/config";
import { describe, expect, it } from "vitest";
import { eventStream, exited, sleep, spoolShipped, startCli } from "./chaos-helpers.ts";
import { checkRollups } from "./rollups.ts";
import { SpoolWriter } from "./spool-writer.ts";

// This file opens embedded ClickHouse only at the end, after every shipper process is gone:
// one process per data folder.
describe("chaos: the standalone shipper SIGKILLed at random moments under a steady stream", () => {
  it("ends with distinct event ids and rollup counts equal to the events the collector accepted", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sl-chaos-ship-"));
    const spoolDir = join(dataDir, "spool");
    const env = {
      SIGHTLINE_DATA_DIR: dataDir,
      // Small, frequent batches, so kills land in the middle of inserts and checkpoint writes.
      SIGHTLINE_SHIPPER_BATCH_ROWS: "150",
      SIGHTLINE_SHIPPER_MAX_WAIT_MS: "100",
      SIGHTLINE_SHIPPER_INTERVAL_MS: "50",
    };
    const writer = new SpoolWriter({
      dir: spoolDir,
      maxFileBytes: 256 * 1024,
      maxFileAgeMs: 3000,
      fsync: "batch",
    });
    const stream = eventStream(writer, "chaos.test");
    const kills: number[] = [];
    try {
      for (let round = 0; round < 4; round++) {
        const shipper = startCli(["ship"], env);
        // A random moment, after the engine has had a chance to start and ship something.
        const at = 2500 + Math.floor(Math.random() * 2500);
        await sleep(at);
        shipper.kill("SIGKILL");
        expect(await exited(shipper)).toBe("SIGKILL");
        kills.push(at);
      }
    } finally {
      await stream.stop();
      await writer.close();
    }
    // A last shipper drains whatever is left, then stops cleanly.
    const last = startCli(["ship"], env);
    const deadline = Date.now() + 30_000;
    while (!spoolShipped(spoolDir) && Date.now() < deadline) await sleep(200);
    last.kill("SIGTERM");
    expect(await exited(last)).toBe(0);
    expect(spoolShipped(spoolDir)).toBe(true);

    const ch = openClickHouse(loadSettings({ cwd: dataDir, env }));
    try {
      const [raw] = await ch.read<{ ids: string }>(
        "SELECT uniqExact(event_id) AS ids FROM sightline.events WHERE site_id = 'chaos.test'",
      );
      const [rollup] = await ch.read<{ pageviews: string }>(
        "SELECT uniqExactMergeIf(events, name = 'pageview') AS pageviews FROM sightline.events_hourly WHERE site_id = 'chaos.test'",
      );
      const accepted = stream.accepted.size;
      expect(Number(raw?.ids)).toBe(accepted);
      expect(Number(rollup?.pageviews)).toBe(accepted);
      expect(accepted).toBeGreaterThan(200);
      // After merges, one row per event id: nothing is stored twice either.
      await ch.client.command({ query: "OPTIMIZE TABLE sightline.events FINAL" });
      const [rows] = await ch.read<{ n: string }>(
        "SELECT count() AS n FROM sightline.events WHERE site_id = 'chaos.test'",
      );
      expect(Number(rows?.n)).toBe(accepted);
      const day = 86_400_000;
      const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
      expect(
        await checkRollups(ch.client, { from: iso(Date.now() - day), to: iso(Date.now() + day) }),
      ).toEqual([]);
    } finally {
      await ch.close();
    }
    expect(kills).toHaveLength(4);
  }, 90_000);
});
