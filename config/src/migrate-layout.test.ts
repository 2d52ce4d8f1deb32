import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DATABASE, openClickHouse } from "./clickhouse.ts";
import { readMigrations } from "./migrate.ts";
import { loadSettings } from "./settings.ts";
import { Materializer } from "./storage/materialize.ts";

const CONFIG_DIR = fileURLToPath(new URL("..", import.meta.url));
const CHILD = fileURLToPath(new URL("./migrate.crash-child.ts", import.meta.url));

const dataDir = mkdtempSync(join(tmpdir(), "sl-layout-"));
const DAYS = 40;
const DAY_MS = 86_400_000;
const start = Date.parse("2026-01-10T00:00:00Z");
const text = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace("T", " ");

/** Rows of the old layout, a few each day over 40 days, three sites, some copies, some bots. */
function oldRows() {
  const events: Record<string, unknown>[] = [];
  const copies: Record<string, unknown>[] = [];
  const bots: Record<string, unknown>[] = [];
  for (let day = 0; day < DAYS; day++) {
    for (let i = 0; i < 60; i++) {
      const at = start + day * DAY_MS + i * 20 * 60_000 + (i % 7) * 1000;
      const row = {
        event_id: `old-${day}-${i}`,
        site_id: ["a.test", "b.test", "c.test"][i % 3],
        ts: text(at),
        client_ts: text(at),
        name: i % 4 === 0 ? "engagement" : "pageview",
        visitor_id: `visitor-${(day * 7 + i) % 45}`,
        session_id: "",
        hostname: "a.test",
        pathname: `/page-${i % 5}`,
        country: i % 5 === 0 ? "" : ["DE", "US", "JP"][i % 3],
        props: i % 9 === 0 ? { plan: "pro" } : {},
        revenue: i % 11 === 0 ? 12.5 : 0,
        tracker_version: "test",
      };
      events.push(row);
      // A copy delivered again (inserted apart, so it is stored until a merge folds it).
      if (i % 10 === 0) copies.push({ ...row });
    }
    bots.push({
      event_id: `bot-${day}`,
      site_id: "a.test",
      ts: text(start + day * DAY_MS),
      is_bot: 1,
      visitor_id: `crawler-${day % 3}`,
      tracker_version: "test",
    });
  }
  return { events, copies, bots };
}

function run(args: string[]): { child: ChildProcess; lines: string[]; done: Promise<number> } {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], {
    cwd: CONFIG_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let rest = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    rest += chunk.toString();
    const parts = rest.split("\n");
    rest = parts.pop() ?? "";
    lines.push(...parts);
  });
  let err = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const done = new Promise<number>((resolve) =>
    child.on("exit", (code, signal) => {
      if (code && code !== 0) process.stderr.write(err);
      resolve(code ?? (signal ? -1 : 0));
    }),
  );
  return { child, lines, done };
}

let ch: ReturnType<typeof openClickHouse> | null = null;
afterAll(() => ch?.close());

describe("migration 0013: the events layout for scale", () => {
  it("moves a database of the old layout without loss, with progress, and goes on after a kill -9", async () => {
    const { events, copies, bots } = oldRows();
    const rowsFile = join(dataDir, "rows.json");
    writeFileSync(rowsFile, JSON.stringify({ events, copies, bots }));
    const old = run([dataDir, "old", rowsFile]);
    expect(await old.done).toBe(0);

    // Killed once a few days have moved.
    const first = run([dataDir, "all"]);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (first.lines.filter((l) => / moved, /.test(l)).length >= 5) {
          clearInterval(timer);
          first.child.kill("SIGKILL");
          resolve();
        }
        if (first.child.exitCode !== null) {
          clearInterval(timer);
          reject(
            new Error(`the migration ended before it could be killed:\n${first.lines.join("\n")}`),
          );
        }
      }, 5);
    });
    expect(await first.done).toBe(-1);
    expect(first.lines).toContainEqual(
      expect.stringMatching(/^events: moving 2,[4-9]\d\d rows of 40 days/),
    );
    expect(first.lines).toContainEqual(
      expect.stringMatching(
        /^events: 2026-01-1\d moved, \d+ rows \(\d+\/40 days, [\d,]+ of 2,[4-9]\d\d rows, [\d,]+ rows\/s\)/,
      ),
    );
    expect(first.lines).not.toContain("done");

    // Run again: it goes on where the kill left it and finishes, every migration after it too.
    const second = run([dataDir, "all"]);
    expect(await second.done).toBe(0);
    expect(second.lines).toContain("events: now in the new layout");
    expect(second.lines).toContain("bot_events: now in the new layout");
    const movedAgain = second.lines.filter((l) => /^events: .* moved/.test(l)).length;
    expect(movedAgain).toBeLessThan(DAYS);

    ch = openClickHouse(loadSettings({ cwd: dataDir, env: { SIGHTLINE_DATA_DIR: dataDir } }));
    const read = async <T>(query: string) =>
      (await (ch?.client.query({ query, format: "JSONEachRow" }) ?? Promise.reject())).json<T>();
    // Every event, each once, with its values, in the new types.
    type Stored = {
      event_id: string;
      site_id: string;
      ts: string;
      name: string;
      pathname: string;
      country: string;
      visitor_ok: number;
      plan: string;
      revenue: number;
    };
    const stored = await read<Stored>(
      `SELECT event_id, site_id, ts, name, pathname, replaceAll(toString(country), '\\0', '') AS country,
         visitor = sipHash64(visitor_id) AS visitor_ok, props['plan'] AS plan, toFloat64(revenue) AS revenue
       FROM ${DATABASE}.events FINAL ORDER BY event_id`,
    );
    const unique = [...new Map(events.map((e) => [e.event_id as string, e])).values()].sort(
      (a, b) => String(a.event_id).localeCompare(String(b.event_id)),
    );
    expect(stored).toEqual(
      unique.map((e) => ({
        event_id: e.event_id,
        site_id: e.site_id,
        ts: e.ts,
        name: e.name,
        pathname: e.pathname,
        country: e.country,
        visitor_ok: 1,
        plan: (e.props as Record<string, string>).plan ?? "",
        revenue: e.revenue,
      })),
    );
    const [botCount] = await read<{ n: string }>(
      `SELECT uniqExact(event_id) AS n FROM ${DATABASE}.bot_events`,
    );
    expect(Number(botCount?.n)).toBe(bots.length);
    const [both] = await read<{ n: string }>(
      `SELECT uniqExact(event_id) AS n FROM ${DATABASE}.events_with_bots`,
    );
    expect(Number(both?.n)).toBe(unique.length + bots.length);
    const tables = await read<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = '${DATABASE}' AND name LIKE '%\\_next'`,
    );
    expect(tables).toEqual([]);
    const [types] = await read<{ country: string; sample: string }>(
      `SELECT (SELECT type FROM system.columns WHERE database = '${DATABASE}' AND table = 'events' AND name = 'country') AS country,
         (SELECT sampling_key FROM system.tables WHERE database = '${DATABASE}' AND name = 'events') AS sample`,
    );
    expect(types).toEqual({ country: "FixedString(2)", sample: "visitor" });
    const applied = await read<{ version: number }>(
      `SELECT DISTINCT version FROM ${DATABASE}.schema_migrations ORDER BY version`,
    );
    expect(applied.map((r) => Number(r.version))).toEqual(readMigrations().map((m) => m.version));

    // The views filled the slots from the moved events; sessions and rollups follow.
    await new Materializer({ client: ch.session() }).drain();
    const [rollup] = await read<{ events: string; pageviews: string }>(
      `SELECT sum(events) AS events, sum(pageviews) AS pageviews FROM ${DATABASE}.rollup_hourly FINAL`,
    );
    expect(Number(rollup?.events)).toBe(unique.length);
    expect(Number(rollup?.pageviews)).toBe(unique.filter((e) => e.name === "pageview").length);
    const [sessions] = await read<{ n: string }>(
      `SELECT count() AS n FROM ${DATABASE}.sessions FINAL WHERE is_bot = 0`,
    );
    expect(Number(sessions?.n)).toBeGreaterThan(DAYS);
  }, 240_000);
});
