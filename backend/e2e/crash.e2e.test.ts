import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings, openClickHouse } from "@sightline/config";
import { describe, expect, it } from "vitest";
import { api, eventually, startProcess } from "./process.ts";

const ADMIN = { email: "owner@crash.test", password: "a very long crash password" };
const SITE = "crash.test";

describe("SIGKILL between the spool write and shipping", () => {
  it("delivers the acknowledged event after restart, exactly once", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sl-crash-"));
    const env = {
      SIGHTLINE_DATA_DIR: dataDir,
      SIGHTLINE_ADMIN_EMAIL: ADMIN.email,
      SIGHTLINE_ADMIN_PASSWORD: ADMIN.password,
    };

    // 1. The shipper is off, so the event can only be in the spool when the process dies.
    const first = await startProcess({ ...env, SIGHTLINE_SHIPPER_ENABLED: "false" });
    const { body: session } = await api<{ token: string }>(first.url, "/api/v1/auth/login", {
      method: "POST",
      body: JSON.stringify(ADMIN),
    });
    await api(first.url, "/api/v1/sites", {
      method: "POST",
      token: session.token,
      body: JSON.stringify({ id: SITE, domains: [SITE] }),
    });
    const eventId = `crash-${Date.now()}`;
    const ingest = await fetch(`${first.url}/sl/e`, {
      method: "POST",
      headers: { "content-type": "text/plain", "user-agent": "Mozilla/5.0 Chrome/140.0" },
      body: JSON.stringify({
        s: SITE,
        e: [{ i: eventId, n: "pageview", t: Date.now(), u: `https://${SITE}/`, v: "v1", x: "s1" }],
      }),
    });
    expect(ingest.status).toBe(204);
    const spool = join(dataDir, "spool");
    const spooled = readdirSync(spool)
      .filter((f) => f.endsWith(".ndjson"))
      .map((f) => readFileSync(join(spool, f), "utf8"))
      .join("");
    expect(spooled).toContain(eventId);
    expect(await first.kill("SIGKILL")).toBe("SIGKILL");

    // 2. Restart with the shipper on: the event arrives.
    const second = await startProcess(env);
    const today = new Date().toISOString().slice(0, 10);
    const daily = async (base: string) => {
      const { body } = await api<{ totals: { pageviews: number } }>(
        base,
        `/api/v1/stats/daily?site=${SITE}&from=${today}&to=${today}`,
        { token: session.token },
      );
      return body.totals.pageviews;
    };
    await eventually(
      async () => ((await daily(second.url)) === 1 ? true : undefined),
      30_000,
      "the event",
    );
    expect(await second.kill("SIGKILL")).toBe("SIGKILL");

    // 3. Another crash and restart must not ship it again.
    const third = await startProcess(env);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await daily(third.url)).toBe(1);
    expect(await third.kill("SIGTERM")).toBe(0);

    // 4. The raw table, not only the report, holds exactly one row for it.
    const ch = openClickHouse(loadSettings({ cwd: dataDir, env }));
    try {
      const rows = await ch.read<{ n: number }>(
        "SELECT count() AS n FROM sightline.events WHERE event_id = {id:String}",
        { id: eventId },
      );
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await ch.close();
    }
  });
});
