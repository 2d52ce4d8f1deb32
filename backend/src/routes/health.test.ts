import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readinessProbe, SHIPPER_STALLED_MS } from "../health.ts";
import { testStack } from "../testing/stack.ts";

let stack: Awaited<ReturnType<typeof testStack>>;

beforeAll(async () => {
  stack = await testStack();
});
afterAll(() => stack.close());

describe("probes and paths that must never be the dashboard", () => {
  it("answers /healthz and /readyz at the root as JSON", async () => {
    const health = await stack.app.inject({ method: "GET", url: "/healthz" });
    expect(health.statusCode).toBe(200);
    expect(health.headers["content-type"]).toMatch(/^application\/json/);
    expect(health.json()).toMatchObject({ status: "ok" });

    const ready = await stack.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    expect(ready.headers["content-type"]).toMatch(/^application\/json/);
    const body = ready.json();
    expect(body.status).toBe("ready");
    expect(body.checks.clickhouse.ok).toBe(true);
    expect(body.checks.spool.ok).toBe(true);
    expect(body.checks.shipper).toEqual({ ok: true, detail: "0 bytes not yet shipped" });
  });

  it("answers unknown /api paths with a JSON 404, for every method", async () => {
    for (const [method, url] of [
      ["GET", "/api/v1/nope"],
      ["GET", "/api/nope"],
      ["GET", "/api"],
      ["POST", "/api/v1/nope"],
      ["GET", "/api/v2/sites"],
    ] as const) {
      const res = await stack.app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.json()).toMatchObject({ code: "NOT_FOUND" });
    }
    // The build stamp beside the dashboard's files is not one of them.
    const stamp = await stack.app.inject({ method: "GET", url: "/.build-stamp.json" });
    expect(stamp.body).not.toMatch(/"inputs"/);
    // Client-side routes of the dashboard still load the app.
    const page = await stack.app.inject({ method: "GET", url: "/sites/x/funnels" });
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
  });

  it("serves the API docs with and without the trailing slash", async () => {
    for (const url of ["/api/v1/docs", "/api/v1/docs/"]) {
      const res = await stack.app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(200);
      const assets = [...res.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
      expect(assets.length).toBeGreaterThan(3);
      for (const asset of assets) {
        // Resolved the way a browser does, against the page's own URL.
        const path = new URL(asset, `http://x${url}`).pathname;
        expect(path, `${asset} from ${url}`).toMatch(/^\/api\/v1\/docs\/static\//);
        const got = await stack.app.inject({ method: "GET", url: path });
        expect(got.statusCode, path).toBe(200);
      }
    }
  });
});

describe("readiness checks", () => {
  const ok = { read: async () => [] };
  const shipper = (lag: number, stats: Partial<{ lastShippedAt: number; failures: number }>) => ({
    lagBytes: async () => lag,
    stats: {
      shippedRows: 0,
      botRows: 0,
      batches: 0,
      failures: 0,
      deadLettered: 0,
      retiredFiles: 0,
      lastError: "connect ECONNREFUSED",
      lastShippedAt: null,
      ...stats,
    },
  });
  const spoolDir = () => mkdtempSync(join(tmpdir(), "sl-ready-"));

  it("fails when ClickHouse does not answer, naming why", async () => {
    const probe = readinessProbe({
      ch: { read: async () => Promise.reject(new Error("Connection refused")) },
      spoolDir: spoolDir(),
      spoolMaxBytes: 1e9,
      shipper: null,
    });
    const ready = await probe();
    expect(ready.status).toBe("not_ready");
    expect(ready.checks.clickhouse).toEqual({ ok: false, detail: "Connection refused" });
    expect(ready.checks.shipper.ok).toBe(true);
  });

  it("fails when the spool cannot be written", async () => {
    const file = join(spoolDir(), "not-a-folder");
    writeFileSync(file, "");
    const ready = await readinessProbe({
      ch: ok,
      spoolDir: file,
      spoolMaxBytes: 1e9,
      shipper: null,
    })();
    expect(ready.status).toBe("not_ready");
    expect(ready.checks.spool.ok).toBe(false);
    expect(ready.checks.spool.detail).toMatch(/not writable/);
  });

  it("fails when the shipper is behind by bytes, or stalled while failing", async () => {
    const behind = await readinessProbe({
      ch: ok,
      spoolDir: spoolDir(),
      spoolMaxBytes: 1000,
      shipper: shipper(501, {}),
    })();
    expect(behind.status).toBe("not_ready");
    expect(behind.checks.shipper.detail).toBe("501 bytes not yet shipped (limit 500)");

    let now = 0;
    const probe = readinessProbe({
      ch: ok,
      spoolDir: spoolDir(),
      spoolMaxBytes: 1e9,
      shipper: shipper(10, { failures: 3, lastShippedAt: 0 }),
      now: () => now,
    });
    expect((await probe()).status).toBe("ready");
    now = SHIPPER_STALLED_MS + 1000;
    const stalled = await probe();
    expect(stalled.status).toBe("not_ready");
    expect(stalled.checks.shipper.detail).toMatch(/nothing shipped for \d+ s .*ECONNREFUSED/);
  });
});
