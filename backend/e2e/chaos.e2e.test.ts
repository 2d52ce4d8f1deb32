import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings, openClickHouse } from "@sightline/config";
import { describe, expect, it } from "vitest";
import { api, eventually, type RunningStack, startProcess } from "./process.ts";

const ADMIN = { email: "owner@chaos.test", password: "a very long chaos password" };
const SITE = "chaos.test";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("chaos: the all-in-one process SIGKILLed at random moments under a steady stream", () => {
  it("ends with distinct event ids and the daily report (read from rollups) equal to the accepted events", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sl-chaos-aio-"));
    const env = {
      SIGHTLINE_DATA_DIR: dataDir,
      SIGHTLINE_ADMIN_EMAIL: ADMIN.email,
      SIGHTLINE_ADMIN_PASSWORD: ADMIN.password,
      SIGHTLINE_SHIPPER_BATCH_ROWS: "150",
      SIGHTLINE_SHIPPER_MAX_WAIT_MS: "100",
    };
    let stack: RunningStack = await startProcess(env);
    const { body: session } = await api<{ token: string }>(stack.url, "/api/v1/auth/login", {
      method: "POST",
      body: JSON.stringify(ADMIN),
    });
    await api(stack.url, "/api/v1/sites", {
      method: "POST",
      token: session.token,
      body: JSON.stringify({ id: SITE, domains: [SITE] }),
    });

    // The sender behaves like the tracker: a batch is retried until it is answered 204, so an
    // event written to the spool just before a kill is acknowledged by a later attempt.
    const accepted = new Set<string>();
    let stopped = false;
    let n = 0;
    const sender = (async () => {
      while (!stopped) {
        const events = Array.from({ length: 10 }, () => ({
          i: `aio-event-${n++}`,
          n: "pageview",
          t: Date.now(),
          u: `https://${SITE}/p/${n % 5}`,
          v: `v-${n % 40}`,
          x: `s-${n % 60}`,
        }));
        const body = JSON.stringify({ s: SITE, e: events });
        for (let attempt = 0; attempt < 600; attempt++) {
          const status = await fetch(`${stack.url}/sl/e`, {
            method: "POST",
            headers: { "content-type": "text/plain", "user-agent": "Mozilla/5.0 Chrome/140.0" },
            body,
          }).then(
            (r) => r.status,
            () => 0,
          );
          if (status === 204) {
            for (const e of events) accepted.add(e.i);
            break;
          }
          // Only "not now" answers are retried; anything else is a broken test.
          if (status !== 0 && status !== 503 && status !== 429) {
            throw new Error(`ingest answered ${status}`);
          }
          await sleep(100);
        }
        await sleep(40);
      }
    })();

    const kills: number[] = [];
    try {
      for (let round = 0; round < 3; round++) {
        const at = 1500 + Math.floor(Math.random() * 2000);
        await sleep(at);
        expect(await stack.kill("SIGKILL")).toBe("SIGKILL");
        kills.push(at);
        stack = await startProcess(env);
      }
      await sleep(1000);
    } finally {
      stopped = true;
      await sender;
    }

    const today = new Date().toISOString().slice(0, 10);
    const reported = async () => {
      const { body } = await api<{ totals: { pageviews: number } }>(
        stack.url,
        `/api/v1/stats/daily?site=${SITE}&from=${today}&to=${today}&tz=UTC`,
        { token: session.token },
      );
      return body.totals.pageviews;
    };
    const total = await eventually(
      async () => ((await reported()) === accepted.size ? accepted.size : undefined),
      30_000,
      `the report to reach ${accepted.size} pageviews (last: ${await reported()})`,
    );
    expect(await stack.kill("SIGTERM")).toBe(0);

    const ch = openClickHouse(loadSettings({ cwd: dataDir, env }));
    try {
      const [raw] = await ch.read<{ ids: string }>(
        "SELECT uniqExact(event_id) AS ids FROM sightline.events WHERE site_id = {site:String}",
        { site: SITE },
      );
      expect(Number(raw?.ids)).toBe(accepted.size);
      expect(total).toBe(accepted.size);
      // A stream, not a trickle (the count depends on how busy the machine is).
      expect(accepted.size).toBeGreaterThan(100);
    } finally {
      await ch.close();
    }
    expect(kills).toHaveLength(3);
  }, 120_000);
});
