import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { api, eventually, type RunningStack, startProcess } from "./process.ts";

// `sightline backup` while the stack runs (through its admin socket), `sightline restore` into
// an empty data folder, and a second stack on that folder that answers exactly like the first.

const CLI = fileURLToPath(new URL("../../collector-node/src/cli/main.ts", import.meta.url));
const ADMIN = { email: "owner@backup.test", password: "a long backup password" };
const SITE = "backup.test";
const UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";

function sightline(args: string[], dataDir: string) {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
    env: { ...process.env, SIGHTLINE_DATA_DIR: dataDir, UV_THREADPOOL_SIZE: "8" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

const stacks: RunningStack[] = [];
afterAll(async () => {
  for (const stack of stacks) if (stack.child.exitCode === null) await stack.kill("SIGTERM");
});

/** What a restore must give back: reports, users (a login works), sites and dashboards. */
async function snapshot(url: string, token: string) {
  const today = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
  const daily = await api(url, `/api/v1/stats/daily?site=${SITE}&from=${from}&to=${today}&tz=UTC`, {
    token,
  });
  const query = await api(url, "/api/v1/query", {
    method: "POST",
    token,
    body: JSON.stringify({
      sites: [SITE],
      from,
      to: today,
      tz: "UTC",
      metrics: ["visitors", "pageviews", "sessions"],
      dimensions: ["page"],
      sort: [{ by: "pageviews", dir: "desc" }],
    }),
  });
  const sites = await api(url, "/api/v1/sites", { token });
  const boards = await api<{ dashboards: { id: string }[] }>(url, "/api/v1/dashboards", { token });
  const board = await api(url, `/api/v1/dashboards/${boards.body.dashboards[0]?.id}`, { token });
  return { daily, query, sites, boards, board };
}

describe("backup and restore", () => {
  it("backs up a running stack and restores it into an empty folder with the same answers", async () => {
    const first = mkdtempSync(join(tmpdir(), "sl-bk-a-"));
    const stack = await startProcess({
      SIGHTLINE_DATA_DIR: first,
      SIGHTLINE_ADMIN_EMAIL: ADMIN.email,
      SIGHTLINE_ADMIN_PASSWORD: ADMIN.password,
      SIGHTLINE_SHIPPER_INTERVAL_MS: "50",
    });
    stacks.push(stack);
    const login = await api<{ token: string }>(stack.url, "/api/v1/auth/login", {
      method: "POST",
      body: JSON.stringify(ADMIN),
    });
    const token = login.body.token;
    expect(
      (
        await api(stack.url, "/api/v1/sites", {
          method: "POST",
          token,
          body: JSON.stringify({ id: SITE, name: "Backup shop", domains: [SITE] }),
        })
      ).status,
    ).toBe(201);
    const now = Date.now();
    for (let visitor = 0; visitor < 3; visitor++) {
      const events = ["/", "/pricing", "/signup"].slice(0, visitor + 1).map((path, i) => ({
        i: `backup-event-${visitor}-${i}`,
        n: "pageview",
        t: now - 1000 * (10 - i),
        u: `https://${SITE}${path}`,
        v: `visitor-${visitor}`,
        x: `session-${visitor}`,
      }));
      const res = await fetch(`${stack.url}/sl/e`, {
        method: "POST",
        headers: { "content-type": "text/plain", origin: `https://${SITE}`, "user-agent": UA },
        body: JSON.stringify({ s: SITE, e: events }),
      });
      expect(res.status, await res.text()).toBe(204);
    }
    const created = await api<{ id: string }>(stack.url, "/api/v1/dashboards", {
      method: "POST",
      token,
      body: JSON.stringify({
        name: "Backed up",
        sites: [SITE],
        widgets: [
          {
            name: "Visitors",
            source: {
              kind: "query",
              spec: {
                sites: [SITE],
                from: "2026-03-01",
                to: "2026-03-31",
                tz: "UTC",
                metrics: ["visitors"],
                granularity: "day",
              },
            },
            visual: { type: "line" },
          },
        ],
      }),
    });
    expect(created.status).toBe(201);
    await eventually(
      async () => {
        const s = await snapshot(stack.url, token);
        return (s.daily.body as { totals: { pageviews: number } }).totals.pageviews === 6
          ? true
          : undefined;
      },
      30_000,
      "the events in ClickHouse",
    );

    // While the stack holds the engine, commands run inside it through the admin socket.
    const socket = join(first, "admin.sock");
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    const stats = await sightline(["stats"], first);
    expect(stats.stderr).toBe("");
    expect(stats.stdout).toMatch(/sightline\.events: 6 rows, 6 distinct event ids/);

    const folder = join(mkdtempSync(join(tmpdir(), "sl-bk-")), "backup");
    const backup = await sightline(["backup", folder], first);
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^lmdb: copying/m);
    expect(backup.stdout).toMatch(/^clickhouse: sightline\.events: 6 rows, /m);
    expect(backup.stdout).toMatch(/^backup written to /m);
    expect(readdirSync(folder).sort()).toEqual(["clickhouse", "lmdb", "manifest.json", "secrets"]);

    const busy = await sightline(["restore", folder], first);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(
      /^sightline: restore: the Sightline server is running on .*: stop it, then run sightline restore into an empty data folder\n$/,
    );

    const before = await snapshot(stack.url, token);
    await stack.kill("SIGTERM");

    const second = mkdtempSync(join(tmpdir(), "sl-bk-b-"));
    const restored = await sightline(["restore", folder], second);
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/^clickhouse: sightline\.events: 6 rows$/m);
    const again = await sightline(["restore", folder], second);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds data/);

    const copy = await startProcess({ SIGHTLINE_DATA_DIR: second });
    stacks.push(copy);
    // The restored JWT secret keeps the old token valid; a fresh login works too.
    const relogin = await api<{ token: string }>(copy.url, "/api/v1/auth/login", {
      method: "POST",
      body: JSON.stringify(ADMIN),
    });
    expect(relogin.status).toBe(200);
    const after = await snapshot(copy.url, token);
    expect(after).toEqual(before);
    expect((after.query.body as { rows: unknown[] }).rows.length).toBe(3);
  });
});
