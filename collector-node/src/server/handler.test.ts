import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { settingsSchema } from "@sightline/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCollectorHandler } from "./handler.ts";
import { FIREFOX, METRICS_AUTH, METRICS_TOKEN, pageview } from "./testing.ts";

// The spool disk fails: the collector must say 503, never 204, and report itself unhealthy.
let failing = true;
const written: string[] = [];
const logs: string[] = [];
const handler = createCollectorHandler({
  salts: { saltFor: async (day) => `salt-${day}` },
  sites: { get: (id) => (id === "example.com" ? { id, domains: ["example.com"] } : undefined) },
  append: async (lines) => {
    if (failing) throw new Error("ENOSPC: no space left on device, write");
    written.push(lines);
  },
  trustedProxies: ["127.0.0.1"],
  collector: { ...settingsSchema.parse({}).collector, metricsToken: METRICS_TOKEN },
  spoolDir: "/nonexistent",
  log: (line) => logs.push(line),
});
const server = createServer((req, res) => void handler(req, res, req.url ?? "/"));
let base = "";
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const send = (id: string) =>
  fetch(`${base}/e`, {
    method: "POST",
    body: JSON.stringify({ s: "example.com", e: [pageview(id)] }),
    headers: { "user-agent": FIREFOX, "x-forwarded-for": "198.51.100.77" },
  });

describe("a failed spool write", () => {
  it("is a 503 with a generic message, logged without the client's address", async () => {
    const res = await send("fail-000001");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 503,
      code: "SPOOL_UNAVAILABLE",
      error: "events could not be stored, retry later",
    });
    expect(logs.join("\n")).toMatch(/spool write failed: ENOSPC/);
    expect(logs.join("\n")).not.toContain("198.51.100.77");
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    const metrics = await (await fetch(`${base}/metrics`, { headers: METRICS_AUTH })).text();
    expect(metrics).toMatch(/^sightline_collector_write_failures_total 1$/m);
    expect(metrics).toMatch(/^sightline_collector_events_accepted_total 0$/m);
  });

  it("recovers: the next write answers 204 and health is back", async () => {
    failing = false;
    expect((await send("fail-000002")).status).toBe(204);
    expect(written.join("")).toContain("fail-000002");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
