import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings, migrate, openClickHouse } from "@sightline/config";
import { afterAll, describe, expect, it } from "vitest";
import { Shipper } from "../shipper.ts";
import { FIREFOX, METRICS_AUTH, pageview, testCollector } from "./testing.ts";

// Client addresses in every shape the collector can see them: IPv4, IPv6, IPv4-mapped,
// via X-Forwarded-For and X-Real-IP from a trusted proxy, on every ingest route.
const IPS = [
  "81.2.69.142",
  "203.0.113.77",
  "2a00:1450:4001:811::200e",
  "2001:db8:85a3::8a2e:370:7334",
];

const chDir = mkdtempSync(join(tmpdir(), "sl-noip-ch-"));
const ch = openClickHouse(loadSettings({ cwd: chDir, env: { SIGHTLINE_DATA_DIR: chDir } }));
await migrate(ch.client);
afterAll(() => ch.close());

/** The address as sent, and in the upper case some tools print IPv6 in. */
function forms(ip: string): string[] {
  return [ip, ip.toUpperCase()];
}

describe("no raw IP address anywhere", () => {
  it("reaches neither the spool, nor ClickHouse (any column), nor any log line", async () => {
    const c = await testCollector({
      SIGHTLINE_SERVER_TRUSTED_PROXIES: "127.0.0.1",
      SIGHTLINE_COLLECTOR_INTERNAL_TOKEN: "x".repeat(40),
    });
    let n = 0;
    for (const ip of IPS) {
      for (const header of ["x-forwarded-for", "x-real-ip"]) {
        for (const privacy of [{}, { "sec-gpc": "1" }] as Record<string, string>[]) {
          const id = `noip-${String(n++).padStart(6, "0")}`;
          // No `v`: the visitor id is derived from the IP (salted), the riskiest path.
          const res = await fetch(`${c.base}/e`, {
            method: "POST",
            body: JSON.stringify({
              s: "example.com",
              e: [pageview(id, { v: undefined, p: { note: "hello" } })],
            }),
            headers: { "user-agent": FIREFOX, [header]: ip, ...privacy },
          });
          expect(res.status).toBe(204);
        }
      }
      const pixel = await fetch(
        `${c.base}/p.gif?s=example.com&u=https://example.com/p&i=noip-pixel-${n++}`,
        // A browser loads the pixel: Node's own user agent would be counted as a bot.
        { headers: { "x-forwarded-for": ip, "user-agent": FIREFOX } },
      );
      expect(pixel.status).toBe(200);
      // A bad request too: errors must not echo the address either.
      await fetch(`${c.base}/e`, { method: "POST", body: "{bad", headers: { "x-real-ip": ip } });
    }
    const metrics = await (await fetch(`${c.base}/metrics`, { headers: METRICS_AUTH })).text();
    await c.close();

    const spool = c.spoolText();
    expect(spool.split("\n").filter(Boolean).length).toBe(IPS.length * 5);
    const logs = c.logs.join("\n");

    const shipper = new Shipper({
      spoolDir: c.spoolDir,
      client: ch.session(),
      batchRows: 10_000,
      batchBytes: 1 << 24,
      intervalMs: 50,
      isSealed: () => true,
    });
    await shipper.drain();
    const result = await ch.client.query({
      query:
        "SELECT * FROM sightline.events WHERE site_id = 'example.com' AND startsWith(event_id, 'noip-')",
      format: "JSONEachRow",
    });
    const rows = (await result.json()) as Record<string, unknown>[];
    expect(rows).toHaveLength(IPS.length * 5);
    const stored = JSON.stringify(rows);
    // Geo came from the address, so the lookup really saw it.
    expect(rows.some((r) => r.country === "GB")).toBe(true);

    for (const ip of IPS) {
      for (const form of forms(ip)) {
        expect(spool).not.toContain(form);
        expect(stored).not.toContain(form);
        expect(logs).not.toContain(form);
        expect(metrics).not.toContain(form);
      }
    }
  });
});
