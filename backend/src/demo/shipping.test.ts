import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DATABASE } from "@sightline/config";
import type { EventRow } from "@sightline/edge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminEnv, login, testStack } from "../testing/stack.ts";

const BACKEND = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const DAY = 86_400_000;

let stack: Awaited<ReturnType<typeof testStack>>;
beforeAll(async () => {
  stack = await testStack(adminEnv());
});
afterAll(() => stack.close());

async function waitFor(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const until = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("pnpm demo beside a running server", () => {
  it("writes files the server's own shipper loads, and the dashboard reports them", async () => {
    const config = join(stack.dataDir, "empty.yaml");
    writeFileSync(config, "");
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (!key.startsWith("SIGHTLINE_")) env[key] = value;
    }
    // A second process, as on a real machine (the server holds the ClickHouse folder).
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "src/demo/main.ts", "--events", "4000", "--days", "7"],
      {
        cwd: BACKEND,
        env: { ...env, SIGHTLINE_CONFIG: config, SIGHTLINE_DATA_DIR: stack.dataDir },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(run.stderr).not.toContain("failed");
    expect(run.status).toBe(0);

    // spawnSync kept this event loop busy, so the shipper has not run yet: read what it will get.
    const spool = join(stack.dataDir, "spool");
    const demoFiles = () => readdirSync(spool).filter((f) => /-demo-.*\.ndjson$/.test(f));
    const rows = demoFiles().flatMap((f) =>
      readFileSync(join(spool, f), "utf8")
        .split("\n")
        .slice(0, -1)
        .map((line) => JSON.parse(line) as EventRow),
    );
    expect(rows).toHaveLength(4000);

    await waitFor(async () => {
      const rs = await stack.ch.client.query({
        query: `SELECT count() AS n FROM merge('${DATABASE}', '^(events|bot_events)$')`,
        format: "JSONEachRow",
      });
      const [row] = await rs.json<{ n: number | string }>();
      return Number(row?.n) === 4000;
    }, "the shipper to load 4,000 rows");
    await waitFor(() => demoFiles().length === 0, "shipped demo files to be removed");

    const shop = rows.filter(
      (r) => r.site_id === "shop.example" && r.is_bot === 0 && r.name === "pageview",
    );
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 8 * DAY).toISOString().slice(0, 10);
    const auth = { authorization: `Bearer ${await login(stack)}` };
    const sites = await stack.app.inject({ method: "GET", url: "/api/v1/sites", headers: auth });
    expect((sites.json() as { sites: { id: string }[] }).sites.map((s) => s.id).sort()).toEqual([
      "blog.example",
      "docs.example",
      "shop.example",
    ]);
    const res = await stack.app.inject({
      method: "GET",
      url: `/api/v1/stats/daily?site=shop.example&from=${from}&to=${today}&tz=UTC`,
      headers: auth,
    });
    expect(res.statusCode).toBe(200);
    const stats = res.json() as { totals: { pageviews: number; visitors: number } };
    expect(stats.totals.pageviews).toBe(shop.length);
    // A real share of the 4,000 events (about a tenth are pageviews of the shop).
    expect(stats.totals.pageviews).toBeGreaterThan(300);
  });
});
