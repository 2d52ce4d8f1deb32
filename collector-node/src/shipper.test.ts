import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClickHouseClient } from "@clickhouse/client";
import { DATABASE, loadSettings, migrate, openClickHouse } from "@sightline/config";
import { type EventRow, formatTimestamp, ndjsonLines } from "@sightline/edge";
import { eventRow } from "@sightline/edge/testing";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { CheckpointFile, type Range } from "./checkpoint.ts";
import { checkRollups, rebuildRollups } from "./rollups.ts";
import { Shipper, sqlString } from "./shipper.ts";
import { scanLines } from "./spool-files.ts";

// One embedded engine for the whole file: chDB binds one folder per process.
const dataDir = mkdtempSync(join(tmpdir(), "sl-shipper-"));
const ch = openClickHouse(loadSettings({ cwd: dataDir, env: { SIGHTLINE_DATA_DIR: dataDir } }));
await migrate(ch.client);
afterAll(() => ch.close());

let spoolDir = "";
let site = "";
beforeEach(() => {
  spoolDir = mkdtempSync(join(dataDir, "spool-"));
  site = `site-${Math.random().toString(36).slice(2)}`;
});

function row(id: string, overrides: Partial<EventRow> = {}): EventRow {
  const now = formatTimestamp(Date.now());
  return eventRow({
    event_id: id,
    site_id: site,
    ts: now,
    client_ts: now,
    props: { plan: "pro" },
    ...overrides,
  });
}

function rows(prefix: string, n: number): string {
  return ndjsonLines(Array.from({ length: n }, (_, i) => row(`${prefix}-${i}`)));
}

async function counts(table = "events"): Promise<{ rows: number; ids: number }> {
  const rs = await ch.client.query({
    query: `SELECT count() AS rows, uniqExact(event_id) AS ids FROM ${DATABASE}.${table} WHERE site_id = {site:String}`,
    query_params: { site },
    format: "JSONEachRow",
  });
  const [r] = await rs.json<{ rows: number; ids: number }>();
  return { rows: Number(r?.rows), ids: Number(r?.ids) };
}

const shipperSession = ch.session();

function shipper(overrides: Partial<ConstructorParameters<typeof Shipper>[0]> = {}) {
  return new Shipper({
    spoolDir,
    client: shipperSession,
    batchRows: 1000,
    batchBytes: 1 << 20,
    intervalMs: 50,
    isSealed: () => true,
    ...overrides,
  });
}

describe("Shipper into embedded ClickHouse", () => {
  it("ships every line in batches, advances the checkpoint and removes sealed shipped files", async () => {
    writeFileSync(join(spoolDir, "events-a.ndjson"), rows("a", 2500));
    writeFileSync(join(spoolDir, "events-b.ndjson"), rows("b", 10));
    const s = shipper();
    await s.drain();
    expect(await counts()).toEqual({ rows: 2510, ids: 2510 });
    expect(s.stats.batches).toBe(3);
    expect(existsSync(join(spoolDir, "events-a.ndjson"))).toBe(false);
    expect(await s.lagBytes()).toBe(0);
  });

  it("resumes from its checkpoint after a restart without sending anything twice", async () => {
    const file = join(spoolDir, "events-a.ndjson");
    writeFileSync(file, rows("a", 30));
    await shipper({ isSealed: () => false }).drain();
    appendFileSync(file, rows("b", 20));
    await shipper({ isSealed: () => false }).drain();
    expect(await counts()).toEqual({ rows: 50, ids: 50 });
  });

  it("resends an in-flight batch with the same token, so a landed batch is not doubled", async () => {
    const file = join(spoolDir, "events-a.ndjson");
    writeFileSync(file, rows("a", 40));
    const first = shipper({ isSealed: () => false });
    await first.drain();
    // Simulate a crash after ClickHouse stored the batch but before the checkpoint moved.
    const checkpoint = new CheckpointFile(join(spoolDir, "shipper.checkpoint.json"));
    const end = checkpoint.read().shipped["events-a.ndjson"] ?? 0;
    crashedWithInflight([{ file: "events-a.ndjson", start: 0, end }]);
    await shipper({ isSealed: () => false }).drain();
    expect(await counts()).toEqual({ rows: 40, ids: 40 });
  });

  it("skips a torn last line of a sealed file and ships the whole lines before it", async () => {
    writeFileSync(join(spoolDir, "events-a.ndjson"), `${rows("a", 3)}{"event_id":"torn`);
    await shipper().drain();
    expect(await counts()).toEqual({ rows: 3, ids: 3 });
    expect(existsSync(join(spoolDir, "events-a.ndjson"))).toBe(false);
  });

  it("keeps the spool and retries while ClickHouse refuses (outage simulated by a client double), then delivers everything", async () => {
    writeFileSync(join(spoolDir, "events-a.ndjson"), rows("a", 5));
    let refuse = 2;
    const flaky = new Proxy(shipperSession, {
      get(target, prop, receiver) {
        if (prop === "exec" && refuse > 0) {
          return async () => {
            refuse--;
            throw new Error("connection refused (test double for an unavailable server)");
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    const s = shipper({ client: flaky });
    s.start();
    const deadline = Date.now() + 15_000;
    while ((await counts()).ids < 5 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await s.stop();
    expect(s.stats.failures).toBe(2);
    expect(await counts()).toEqual({ rows: 5, ids: 5 });
  });
});

async function select<T>(query: string): Promise<T[]> {
  const rs = await ch.client.query({ query, query_params: { site }, format: "JSONEachRow" });
  return rs.json<T>();
}

const rollupEvents = async () =>
  Number(
    (
      await select<{ n: string }>(
        `SELECT uniqExactMerge(events) AS n FROM ${DATABASE}.events_hourly WHERE site_id = {site:String}`,
      )
    )[0]?.n,
  );

/** What a crash before the checkpoint moved leaves: nothing acknowledged, these ranges in flight. */
function crashedWithInflight(inflight: Range[]): void {
  const checkpoint = new CheckpointFile(join(spoolDir, "shipper.checkpoint.json"));
  checkpoint.write({ ...checkpoint.read(), shipped: {}, inflight });
}

/** The spool files back as they were, all of them in flight: a crash before any acknowledgement. */
function crashedWithFilesInflight(files: Record<string, string>): void {
  const ranges = Object.entries(files).map(([file, text]) => {
    writeFileSync(join(spoolDir, file), text);
    return { file, start: 0, end: Buffer.byteLength(text) };
  });
  crashedWithInflight(ranges);
}

/** What a crash between the events write and its views' writes leaves: no rollup rows of the site. */
async function loseRollups(): Promise<void> {
  for (const table of ["events_hourly", "visitor_slots"]) {
    await ch.client.command({
      query: `ALTER TABLE ${DATABASE}.${table} DELETE WHERE site_id = {site:String}`,
      query_params: { site },
      clickhouse_settings: { mutations_sync: "2" },
    });
  }
}

const DAY_RANGE = () => {
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
  return { from: iso(now - 86_400_000), to: iso(now + 86_400_000), site };
};

describe("Shipper routing, dead letters, archive, time batching and rollups", () => {
  it("sends bots to bot_events and humans to events, and the hourly rollup follows", async () => {
    const lines =
      rows("h", 7) +
      ndjsonLines(Array.from({ length: 3 }, (_, i) => row(`bot-${i}`, { is_bot: 1 })));
    writeFileSync(join(spoolDir, "events-a.ndjson"), lines);
    const s = shipper();
    await s.drain();
    expect(await counts()).toEqual({ rows: 7, ids: 7 });
    expect(await counts("bot_events")).toEqual({ rows: 3, ids: 3 });
    expect(s.stats).toMatchObject({ shippedRows: 7, botRows: 3 });
    expect(await rollupEvents()).toBe(7);
    expect(await checkRollups(ch.client, DAY_RANGE())).toEqual([]);
  });

  it("dead-letters only the lines ClickHouse refuses, with the reason, and keeps the rest", async () => {
    const bad = `${JSON.stringify({ ...row("bad-ts"), ts: "not a time" })}\n`;
    const lines = `${rows("a", 10)}${bad}not json at all\n${rows("b", 10)}`;
    writeFileSync(join(spoolDir, "events-a.ndjson"), lines);
    const s = shipper();
    await s.drain();
    expect(await counts()).toEqual({ rows: 20, ids: 20 });
    expect(s.stats.deadLettered).toBe(2);
    const dead = await select<{ file: string; offset: string; reason: string; line: string }>(
      `SELECT file, toString(offset) AS offset, reason, line FROM ${DATABASE}.dead_letter FINAL
       WHERE file = 'events-a.ndjson' AND (line LIKE '%bad-ts%' OR line = 'not json at all')
       ORDER BY offset`,
    );
    expect(dead).toHaveLength(2);
    expect(dead[0]?.reason).toMatch(/DateTime|parse/i);
    expect(Number(dead[0]?.offset)).toBe(Buffer.byteLength(rows("a", 10)));
    expect(dead[1]?.line).toBe("not json at all");
    // A resend of the same batch (a crash before the checkpoint moved) adds nothing.
    crashedWithInflight([{ file: "events-a.ndjson", start: 0, end: Buffer.byteLength(lines) }]);
    writeFileSync(join(spoolDir, "events-a.ndjson"), lines);
    await shipper().drain();
    expect(await counts()).toMatchObject({ ids: 20 });
  });

  it("dead-letters a line longer than a whole batch instead of stalling on it", async () => {
    const huge = `${JSON.stringify({ ...row("huge"), pathname: "x".repeat(300_000) })}\n`;
    writeFileSync(join(spoolDir, "events-a.ndjson"), `${rows("a", 5)}${huge}${rows("b", 5)}`);
    const s = shipper({ batchBytes: 100_000 });
    await s.drain();
    expect(await counts()).toEqual({ rows: 10, ids: 10 });
    expect(s.stats.deadLettered).toBe(1);
    const [dead] = await select<{ reason: string; size: string }>(
      `SELECT reason, toString(length(line)) AS size FROM ${DATABASE}.dead_letter FINAL WHERE line LIKE '%"huge"%'`,
    );
    expect(dead?.reason).toMatch(/longer than shipper.batchBytes/);
    expect(Number(dead?.size)).toBeLessThanOrEqual(256 * 1024);
  });

  it("archives shipped files under the archive policy instead of deleting them", async () => {
    writeFileSync(join(spoolDir, "events-a.ndjson"), rows("a", 4));
    const s = shipper({ shippedFiles: "archive" });
    await s.drain();
    expect(existsSync(join(spoolDir, "events-a.ndjson"))).toBe(false);
    expect(readdirSync(join(spoolDir, "archive"))).toEqual(["events-a.ndjson"]);
    expect(statSync(join(spoolDir, "archive", "events-a.ndjson")).size).toBe(
      Buffer.byteLength(rows("a", 4)),
    );
  });

  it("holds a partial batch until maxWaitMs has passed since the last insert", async () => {
    const file = join(spoolDir, "events-a.ndjson");
    writeFileSync(file, rows("a", 3));
    const s = shipper({ isSealed: () => false, maxWaitMs: 1500, intervalMs: 20 });
    s.start();
    try {
      const deadline = Date.now() + 10_000;
      while (s.stats.batches < 1 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      appendFileSync(file, rows("b", 3));
      s.poke();
      await new Promise((r) => setTimeout(r, 500));
      expect(s.stats.batches).toBe(1);
      while (s.stats.batches < 2 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(s.stats.batches).toBe(2);
      expect(await counts()).toEqual({ rows: 6, ids: 6 });
    } finally {
      await s.stop();
    }
  });

  it("re-inserts rollup states for a batch it resends after a crash, and rollups can be checked and rebuilt", async () => {
    const file = join(spoolDir, "events-a.ndjson");
    const lines = rows("a", 12);
    writeFileSync(file, lines);
    await shipper().drain();
    // A crash between the events write and its views' writes: the rollups lost this site's rows.
    await loseRollups();
    expect(await rollupEvents()).toBe(0);
    const mismatch = await checkRollups(ch.client, DAY_RANGE());
    expect(mismatch).toHaveLength(2);
    expect(mismatch).toContainEqual(
      expect.objectContaining({ site_id: site, name: "pageview", source: 12, rollup: 0 }),
    );
    const slots = mismatch.find((m) => m.name === "visitor_slots");
    expect(slots).toMatchObject({ site_id: site, rollup: 0 });
    expect(slots?.source).toBeGreaterThan(0);
    // The checkpoint still says the batch is in flight: a restarted shipper resends and repairs.
    writeFileSync(file, lines);
    crashedWithInflight([{ file: "events-a.ndjson", start: 0, end: Buffer.byteLength(lines) }]);
    await shipper().drain();
    expect(await rollupEvents()).toBe(12);
    // Rebuilding again only unions the same ids: counts stay exact.
    await rebuildRollups(ch.client, DAY_RANGE());
    expect(await rollupEvents()).toBe(12);
    expect(await checkRollups(ch.client, DAY_RANGE())).toEqual([]);
  });
});

describe("Shipper letting the embedded engine read whole sealed files", () => {
  it("ships a sealed file in one statement per table, and a resend after a crash adds nothing", async () => {
    const lines = rows("w", 30) + ndjsonLines([row("w-bot", { is_bot: 1 })]);
    writeFileSync(join(spoolDir, "events-a.ndjson"), lines);
    const s = shipper({ engineReadsFiles: true });
    await s.drain();
    expect(s.stats).toMatchObject({ shippedRows: 30, botRows: 1, batches: 1 });
    expect(await counts()).toEqual({ rows: 30, ids: 30 });
    expect(await counts("bot_events")).toEqual({ rows: 1, ids: 1 });
    expect(await rollupEvents()).toBe(30);
    // The checkpoint still says in flight (a crash before it moved): same path, same token.
    writeFileSync(join(spoolDir, "events-a.ndjson"), lines);
    crashedWithInflight([{ file: "events-a.ndjson", start: 0, end: Buffer.byteLength(lines) }]);
    await shipper({ engineReadsFiles: true }).drain();
    expect(await counts()).toEqual({ rows: 30, ids: 30 });
    expect(await rollupEvents()).toBe(30);
  });

  it("ships two sealed files side by side, and a crash with both in flight resends them without doubling", async () => {
    const a = rows("pa", 20) + ndjsonLines([row("pa-bot", { is_bot: 1 })]);
    const b = ndjsonLines([row("pb-bot", { is_bot: 1 })]) + rows("pb", 25);
    writeFileSync(join(spoolDir, "events-a.ndjson"), a);
    writeFileSync(join(spoolDir, "events-b.ndjson"), b);
    await shipper({ engineReadsFiles: true }).drain();
    expect(await counts()).toEqual({ rows: 45, ids: 45 });
    expect(await counts("bot_events")).toEqual({ rows: 2, ids: 2 });
    const checkpointPath = join(spoolDir, "shipper.checkpoint.json");
    expect(new CheckpointFile(checkpointPath).read().inflight).toBeNull();
    // A crash before either acknowledgement moved the checkpoint: both files come back.
    crashedWithFilesInflight({ "events-a.ndjson": a, "events-b.ndjson": b });
    const again = shipper({ engineReadsFiles: true });
    await again.drain();
    expect(again.stats).toMatchObject({ shippedRows: 45, botRows: 2, batches: 2 });
    expect(await counts()).toEqual({ rows: 45, ids: 45 });
    expect(await counts("bot_events")).toEqual({ rows: 2, ids: 2 });
    expect(await rollupEvents()).toBe(45);
    expect(new CheckpointFile(checkpointPath).read().inflight).toBeNull();
  });

  it("runs two sealed files at once, each on a session of its own", async () => {
    writeFileSync(join(spoolDir, "events-a.ndjson"), rows("sa", 20));
    writeFileSync(join(spoolDir, "events-b.ndjson"), rows("sb", 20));
    let running = 0;
    let most = 0;
    let bound = false;
    let started: () => void = () => {};
    const second = new Promise<void>((resolve) => {
      started = resolve;
    });
    // Each insert waits (up to 5 s) for the other to start: if the files took turns, only one runs.
    const tracked = (session: ClickHouseClient) =>
      new Proxy(session, {
        get(target, prop, receiver) {
          if (prop !== "command") return Reflect.get(target, prop, receiver);
          return async (params: Parameters<ClickHouseClient["command"]>[0]) => {
            if (!params.query.includes("file(")) return target.command(params);
            // chDB runs statements with bound parameters one at a time, process-wide.
            bound ||= params.query_params !== undefined;
            most = Math.max(most, ++running);
            if (running === 2) started();
            await Promise.race([second, new Promise((r) => setTimeout(r, 5000))]);
            try {
              return await target.command(params);
            } finally {
              running--;
            }
          };
        },
      });
    const opened: ClickHouseClient[] = [];
    const s = shipper({
      engineReadsFiles: true,
      client: tracked(shipperSession),
      openSession: () => {
        const own = ch.session();
        opened.push(own);
        return tracked(own);
      },
    });
    await s.drain();
    expect(most).toBe(2);
    expect(bound).toBe(false);
    expect(opened).toHaveLength(1);
    expect(await counts()).toEqual({ rows: 40, ids: 40 });
  });

  it("keeps two lanes going over more files than lanes; a failed file alone stays in flight", async () => {
    for (const f of ["a", "b", "c", "d", "e"])
      writeFileSync(join(spoolDir, `events-${f}.ndjson`), rows(`l${f}`, 10));
    let refuse = true;
    const failing = (session: ClickHouseClient) =>
      new Proxy(session, {
        get(target, prop, receiver) {
          if (prop !== "command") return Reflect.get(target, prop, receiver);
          return async (params: Parameters<ClickHouseClient["command"]>[0]) => {
            if (refuse && params.query.includes("events-c.ndjson")) {
              refuse = false;
              throw new Error("connection refused (test double)");
            }
            return target.command(params);
          };
        },
      });
    const s = shipper({
      engineReadsFiles: true,
      client: failing(shipperSession),
      openSession: () => failing(ch.session()),
    });
    await expect(s.drain()).rejects.toThrow(/connection refused/);
    const checkpoint = new CheckpointFile(join(spoolDir, "shipper.checkpoint.json"));
    expect(checkpoint.read().inflight?.map((r) => r.file)).toEqual(["events-c.ndjson"]);
    await s.drain();
    expect(await counts()).toEqual({ rows: 50, ids: 50 });
    expect(checkpoint.read().inflight).toBeNull();
    expect(readdirSync(spoolDir).filter((f) => f.endsWith(".ndjson"))).toEqual([]);
  });

  it("reads files whose path holds quotes and backslashes (the path is a string literal)", async () => {
    spoolDir = mkdtempSync(join(dataDir, "spool-o'brien\\x-"));
    writeFileSync(join(spoolDir, "events-a.ndjson"), rows("q", 6));
    const s = shipper({ engineReadsFiles: true });
    await s.drain();
    expect(s.stats).toMatchObject({ shippedRows: 6, batches: 1 });
    expect(await counts()).toEqual({ rows: 6, ids: 6 });
  });

  it("repairs the rollups of whole files it resends after a crash, each for its own hours", async () => {
    const hour = 3_600_000;
    const at = (ms: number) => formatTimestamp(ms);
    const earlier = Date.now() - 5 * hour;
    const a =
      ndjsonLines(Array.from({ length: 8 }, (_, i) => row(`ra-${i}`, { ts: at(earlier) }))) +
      ndjsonLines([row("ra-bot", { is_bot: 1 })]);
    const b = rows("rb", 6);
    writeFileSync(join(spoolDir, "events-a.ndjson"), a);
    writeFileSync(join(spoolDir, "events-b.ndjson"), b);
    await shipper({ engineReadsFiles: true }).drain();
    expect(await rollupEvents()).toBe(14);
    // A crash between the events writes and their views' writes: the rollups lost both files.
    await loseRollups();
    crashedWithFilesInflight({ "events-a.ndjson": a, "events-b.ndjson": b });
    const logs: string[] = [];
    await shipper({ engineReadsFiles: true, log: (m) => logs.push(m) }).drain();
    expect(await counts()).toEqual({ rows: 14, ids: 14 });
    expect(await rollupEvents()).toBe(14);
    expect(await checkRollups(ch.client, DAY_RANGE())).toEqual([]);
    expect(logs.filter((l) => l.includes("re-checked rollups"))).toHaveLength(2);
  });

  it("ships a sealed file larger than 2 × batchBytes line by line, never as one statement", async () => {
    const text = rows("big", 40);
    writeFileSync(join(spoolDir, "events-a.ndjson"), text);
    let fileReads = 0;
    const counting = new Proxy(shipperSession, {
      get(target, prop, receiver) {
        if (prop !== "command") return Reflect.get(target, prop, receiver);
        return (params: Parameters<ClickHouseClient["command"]>[0]) => {
          if (params.query.includes("file(")) fileReads++;
          return target.command(params);
        };
      },
    });
    const batchBytes = Math.ceil(Buffer.byteLength(text) / 2) - 1;
    const s = shipper({ engineReadsFiles: true, client: counting, batchBytes });
    await s.drain();
    expect(fileReads).toBe(0);
    expect(s.stats.batches).toBe(3);
    expect(await counts()).toEqual({ rows: 40, ids: 40 });
  });

  it("falls back to line batches, dead-lettering bad lines, when the engine refuses the file", async () => {
    writeFileSync(join(spoolDir, "events-a.ndjson"), `${rows("x", 9)}{"event_id": broken\n`);
    const s = shipper({ engineReadsFiles: true });
    await s.drain();
    expect(await counts()).toMatchObject({ ids: 9 });
    expect(s.stats.deadLettered).toBe(1);
  });
});

describe("sqlString", () => {
  it("round-trips quotes, backslashes and statement text through the engine unchanged", async () => {
    const texts = ["o'brien", "a\\b", "\\'", "x'; DROP TABLE t; --", "line\nbreak", "ünï 😀", ""];
    for (const text of texts) {
      const rs = await ch.client.query({
        query: `SELECT ${sqlString(text)} AS v`,
        format: "JSONEachRow",
      });
      expect(await rs.json<{ v: string }>()).toEqual([{ v: text }]);
    }
  });
});

describe("scanLines", () => {
  const marker = Buffer.from('"is_bot":1');
  const line = (i: number, bot: boolean, pad = 0) =>
    `${JSON.stringify({ i, pad: "p".repeat(pad), is_bot: bot ? 1 : 0 })}\n`;

  it("counts lines and copies out the marked ones across buffer boundaries", async () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => line(i, i % 7 === 0, i % 100));
    const text = lines.join("");
    const path = join(spoolDir, "scan.ndjson");
    writeFileSync(path, text);
    const size = Buffer.byteLength(text);
    expect(size).toBeGreaterThan(2 << 20);
    const scan = await scanLines(path, 0, size, marker);
    expect(scan).toMatchObject({ lines: 40_000, complete: true });
    const expected = lines.flatMap((l, i) => (i % 7 === 0 ? [l] : []));
    expect(scan.marked.map((m) => m.data.toString())).toEqual(expected);
    for (const m of scan.marked) expect(text.slice(m.start, m.end)).toBe(m.data.toString());
  });

  it("reads a line longer than its buffer, starts mid-file, and reports a torn last line", async () => {
    const head = line(0, false);
    const long = line(1, true, 3 << 20);
    const path = join(spoolDir, "scan.ndjson");
    writeFileSync(path, `${head}${long}${line(2, false)}{"torn":`);
    const from = Buffer.byteLength(head);
    const whole = from + Buffer.byteLength(long) + Buffer.byteLength(line(2, false));
    const scan = await scanLines(path, from, whole, marker);
    expect(scan.lines).toBe(2);
    expect(scan.complete).toBe(true);
    expect(scan.marked).toHaveLength(1);
    expect(scan.marked[0]).toMatchObject({ start: from, end: from + Buffer.byteLength(long) });
    const torn = await scanLines(path, from, statSync(path).size, marker);
    expect(torn).toMatchObject({ lines: 2, complete: false });
  });
});

mkdirSync(dataDir, { recursive: true });
