import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { basename, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  type ClickHouse,
  DATABASE,
  migrate,
  openClickHouse,
  type Settings,
  setSiteRetention,
} from "@sightline/config";
import { CheckpointFile } from "../checkpoint.ts";
import { shipperFromSettings } from "../from-settings.ts";
import { checkRollups, rebuildRollups } from "../rollups.ts";
import { listSpoolFiles } from "../spool-files.ts";
import { sealedBy } from "./sealed.ts";

/** A usage or state problem, told in one sentence; exit code 2. */
export class CliError extends Error {
  override name = "CliError";
  readonly exitCode = 2;
}

/** What a command may use of the server it runs in (through the admin socket). */
export interface CommandHost {
  /** The server's own ClickHouse: never closed by a command. */
  ch: ClickHouse;
  /** A consistent copy of the server's LMDB environment into the folder `dir` (as data.mdb). */
  backupLmdb(dir: string): Promise<void>;
  /** Whether the server's built-in shipper ships this spool. */
  shipsSpool: boolean;
}

export interface CommandContext {
  settings: Settings;
  args: string[];
  options: Record<string, string | boolean | undefined>;
  out: (line: string) => void;
  /** Set when the command runs inside the running server; absent when the CLI runs it itself. */
  host?: CommandHost;
}

export type Command = (ctx: CommandContext) => Promise<number>;

/** The sentence for a data folder whose engine another process holds. */
export function lockedMessage(dataDir: string, holder: number | null): string {
  return `${join(dataDir, "clickhouse")} is in use by ${holder ? `process ${holder}` : "another process"} that serves no admin socket (an older server, or another sightline command): stop it, or run this command again once it has finished`;
}

/** The server's ClickHouse when the command runs inside it; else one of its own, closed after. */
export async function withClickHouse<T>(
  { settings, host }: Pick<CommandContext, "settings" | "host">,
  run: (ch: ClickHouse) => Promise<T>,
) {
  if (host) return run(host.ch);
  let ch: ClickHouse;
  try {
    ch = openClickHouse(settings);
  } catch (error) {
    if (/Cannot lock file|Failed to create connection/i.test((error as Error).message))
      throw new CliError(lockedMessage(settings.dataDir, null));
    throw error;
  }
  try {
    return await run(ch);
  } catch (error) {
    if (/Cannot lock file|Failed to create connection/i.test((error as Error).message))
      throw new CliError(lockedMessage(settings.dataDir, null));
    throw error;
  } finally {
    await ch.close();
  }
}

function shipperFor(
  settings: Settings,
  ch: ClickHouse,
  out: (l: string) => void,
  spoolDir = settings.spool.dir,
) {
  return shipperFromSettings(settings, ch, {
    spoolDir,
    isSealed: sealedBy(spoolDir, settings.spool.maxFileAgeSeconds * 1000),
    log: out,
  });
}

function day(text: string | boolean | undefined, name: string, fallback: string): string {
  if (text === undefined) return fallback;
  if (typeof text !== "string" || !/^\d{4}-\d\d-\d\d$/.test(text) || Number.isNaN(Date.parse(text)))
    throw new CliError(`--${name}: "${String(text)}" is not a date (YYYY-MM-DD)`);
  return text;
}

function count(text: string | boolean | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (typeof text !== "string" || !Number.isInteger(n) || n < 0)
    throw new CliError(`--${name}: "${String(text)}" is not a whole number`);
  return n;
}

const SITE = /^[\w.:-]{1,253}$/;

const migrateCommand: Command = async (ctx) =>
  withClickHouse(ctx, async (ch) => {
    const { out } = ctx;
    const applied = await migrate(ch.client, undefined, out);
    out(applied.length ? `applied ${applied.length} migration(s)` : "schema is up to date");
    return 0;
  });

const ship: Command = async (ctx) => {
  const { settings, options, out, host } = ctx;
  if (host) {
    throw new CliError(
      host.shipsSpool
        ? 'the running server ships this spool itself: "sightline stats" shows what is left to ship'
        : "the running server holds ClickHouse and does not ship this spool (shipper.enabled is false): turn its shipper on, or stop it before running sightline ship",
    );
  }
  return withClickHouse(ctx, async (ch) => {
    await migrate(ch.client, undefined, out);
    if (!existsSync(settings.spool.dir)) mkdirSync(settings.spool.dir, { recursive: true });
    const shipper = shipperFor(settings, ch, out);
    if (options.once) {
      const started = Date.now();
      await shipper.drain();
      const { shippedRows, botRows, deadLettered } = shipper.stats;
      out(
        `shipped ${shippedRows} rows and ${botRows} bot rows (${deadLettered} dead-lettered) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      return 0;
    }
    out(`shipping ${settings.spool.dir} to ClickHouse; Ctrl-C to stop`);
    shipper.start();
    const progress = setInterval(async () => {
      const lag = await shipper.lagBytes().catch(() => Number.NaN);
      const s = shipper.stats;
      out(
        `shipped ${s.shippedRows} rows, ${s.botRows} bot rows, ${s.deadLettered} dead-lettered, lag ${lag} bytes${s.lastError && s.failures ? `, last error: ${s.lastError}` : ""}`,
      );
    }, 10_000);
    await new Promise<void>((resolveStop) => {
      const stop = () => resolveStop();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    clearInterval(progress);
    await shipper.stop();
    out("shipper stopped");
    return 0;
  });
};

/** Clips [start, end) to whole lines of `path`: start moves to a line start, end back to a line end. */
function wholeLines(path: string, start: number, end: number): { start: number; end: number } {
  const fd = openSync(path, "r");
  try {
    const byteAt = (at: number) => {
      const b = Buffer.alloc(1);
      return readSync(fd, b, 0, 1, at) === 1 ? b[0] : undefined;
    };
    let s = start;
    while (s > 0 && s < end && byteAt(s - 1) !== 0x0a) s++;
    let e = end;
    while (e > s && byteAt(e - 1) !== 0x0a) e--;
    return { start: s, end: e };
  } finally {
    closeSync(fd);
  }
}

const replay: Command = async (ctx) => {
  const { settings, args, options, out } = ctx;
  const [file] = args;
  if (!file)
    throw new CliError(
      "replay: name an archived spool file, e.g. sightline replay archive/events-….ndjson",
    );
  const candidates = [resolve(file), join(settings.shipper.archiveDir, file)];
  const path = candidates.find((p) => existsSync(p));
  if (!path)
    throw new CliError(`replay: no such file: ${file} (looked in ${candidates.join(", ")})`);
  const size = statSync(path).size;
  const range = wholeLines(
    path,
    count(options.start, "start") ?? 0,
    Math.min(size, count(options.end, "end") ?? size),
  );
  if (range.end <= range.start)
    throw new CliError(
      `replay: no whole line between bytes ${options.start ?? 0} and ${options.end ?? size} of ${path}`,
    );
  // The range is copied into a folder of its own with its own checkpoint, so a replay that is
  // interrupted resumes where it stopped, and the live spool and its checkpoint are left alone.
  const dir = join(
    settings.dataDir,
    "replay",
    `${basename(path, ".ndjson")}-${range.start}-${range.end}`,
  );
  mkdirSync(dir, { recursive: true });
  const copy = join(dir, `replay-${basename(path, ".ndjson")}-${range.start}-${range.end}.ndjson`);
  if (!existsSync(copy)) {
    await pipeline(
      createReadStream(path, { start: range.start, end: range.end - 1 }),
      createWriteStream(`${copy}.tmp`),
    );
    renameSync(`${copy}.tmp`, copy);
  }
  out(`replaying ${range.end - range.start} bytes of ${path} (bytes ${range.start}-${range.end})`);
  return withClickHouse(ctx, async (ch) => {
    const shipper = shipperFromSettings(settings, ch, {
      spoolDir: dir,
      shippedFiles: "delete",
      isSealed: () => true,
      log: out,
    });
    let last = 0;
    const progress = setInterval(() => {
      if (shipper.stats.shippedRows === last) return;
      last = shipper.stats.shippedRows;
      out(`  ${last} rows so far`);
    }, 2000);
    try {
      await shipper.drain();
    } finally {
      clearInterval(progress);
    }
    rmSync(dir, { recursive: true, force: true });
    const s = shipper.stats;
    out(
      `replayed ${s.shippedRows} rows and ${s.botRows} bot rows (${s.deadLettered} dead-lettered); duplicates of rows already stored are not counted twice`,
    );
    return 0;
  });
};

const stats: Command = async (ctx) => {
  const { settings, out } = ctx;
  const checkpoint = new CheckpointFile(join(settings.spool.dir, "shipper.checkpoint.json")).read();
  const files = existsSync(settings.spool.dir) ? await listSpoolFiles(settings.spool.dir) : [];
  let lag = 0;
  let total = 0;
  for (const f of files) {
    const size = statSync(join(settings.spool.dir, f)).size;
    total += size;
    lag += Math.max(0, size - (checkpoint.shipped[f] ?? 0));
  }
  const archived = existsSync(settings.shipper.archiveDir)
    ? await listSpoolFiles(settings.shipper.archiveDir)
    : [];
  out(
    `spool ${settings.spool.dir}: ${files.length} file(s), ${total} bytes, ${lag} bytes not yet shipped${checkpoint.inflight ? " (a batch is in flight)" : ""}`,
  );
  out(`archive ${settings.shipper.archiveDir}: ${archived.length} file(s)`);
  return withClickHouse(ctx, async (ch) => {
    // Distinct event ids scan the id column: exact, and fine for an operator's occasional look.
    const measures: Record<string, string> = {
      events: "count() AS n, uniqExact(event_id) AS ids",
      bot_events: "count() AS n, uniqExact(event_id) AS ids",
      events_hourly: "count() AS n, uniqExactMerge(events) AS ids",
      visitor_slots: "count() AS n",
      dead_letter: "count() AS n",
    };
    for (const [table, measure] of Object.entries(measures)) {
      const rs = await ch.client
        .query({ query: `SELECT ${measure} FROM ${DATABASE}.${table}`, format: "JSONEachRow" })
        .catch(() => null);
      const row = rs ? (await rs.json<{ n: string; ids?: string }>())[0] : null;
      if (!row) {
        out(`${DATABASE}.${table}: missing (run sightline migrate)`);
        continue;
      }
      const ids = row.ids === undefined ? "" : `, ${Number(row.ids)} distinct event ids`;
      out(`${DATABASE}.${table}: ${Number(row.n)} rows${ids}`);
    }
    return 0;
  });
};

const rollups: Command = async (ctx) => {
  const { args, options, out } = ctx;
  const [action] = args;
  if (action !== "check" && action !== "rebuild")
    throw new CliError('rollups: say "check" or "rebuild"');
  const today = new Date().toISOString().slice(0, 10);
  const from = day(options.from, "from", "2000-01-01");
  const to = day(options.to, "to", today);
  const site = typeof options.site === "string" ? options.site : undefined;
  if (site !== undefined && !SITE.test(site))
    throw new CliError(`--site: "${site}" is not a site id`);
  return withClickHouse(ctx, async (ch) => {
    // Without --from, start at the oldest stored event rather than walk empty years.
    const rs = await ch.client.query({
      query: `SELECT toString(toDate(min(ts))) AS day FROM ${DATABASE}.events`,
      format: "JSONEachRow",
    });
    const oldest = (await rs.json<{ day: string }>())[0]?.day ?? from;
    const first = options.from === undefined && oldest > from ? oldest : from;
    const start = Date.parse(`${first}T00:00:00Z`);
    const end = Date.parse(`${to}T00:00:00Z`) + 86_400_000;
    // Month by month, so progress shows and one statement never holds the whole table (the
    // visitor half hours of a long history would not fit in memory at once).
    const months: { from: string; to: string }[] = [];
    for (let at = start; at < end; ) {
      const next = Math.min(
        end,
        Date.UTC(new Date(at).getUTCFullYear(), new Date(at).getUTCMonth() + 1, 1),
      );
      months.push({ from: iso(at), to: iso(next) });
      at = next;
    }
    if (action === "check") {
      let bad = 0;
      for (const month of months) {
        const found = await checkRollups(ch.client, { ...month, site });
        for (const m of found.slice(0, Math.max(0, 50 - bad)))
          out(
            m.name === "visitor_slots"
              ? `  ${m.site_id} ${m.hour} visitor_slots: ${m.source} visitor half hours in events, ${m.rollup} in step in the rollup`
              : `  ${m.site_id} ${m.hour} ${m.name}: events ${m.source}, rollup ${m.rollup}`,
          );
        bad += found.length;
        out(`  checked ${month.from.slice(0, 7)}`);
      }
      out(
        bad
          ? `${bad} hour(s) differ: run "sightline rollups rebuild" for the range`
          : "rollups match the raw events",
      );
      return bad ? 1 : 0;
    }
    for (const month of months) {
      await rebuildRollups(ch.client, { ...month, site });
      out(`  rebuilt ${month.from.slice(0, 7)}`);
    }
    out("rollups re-inserted from the raw events (states only union, so counts cannot double)");
    return 0;
  });
};

const retention: Command = async (ctx) => {
  const { args, options, out } = ctx;
  const [action, site] = args;
  if (action === "list") {
    return withClickHouse(ctx, async (ch) => {
      const rs = await ch.client.query({
        query: `SELECT site_id, argMax(raw_months, updated_at) AS raw, argMax(rollup_months, updated_at) AS rollup FROM ${DATABASE}.site_retention GROUP BY site_id ORDER BY site_id`,
        format: "JSONEachRow",
      });
      const rows = await rs.json<{ site_id: string; raw: number; rollup: number }>();
      out("defaults: raw events 13 months, rollups 60 months");
      for (const r of rows) out(`${r.site_id}: raw ${r.raw} months, rollups ${r.rollup} months`);
      return 0;
    });
  }
  if (action !== "set") throw new CliError('retention: say "set <site> …" or "list"');
  if (!site || !SITE.test(site))
    throw new CliError(`retention set: "${site ?? ""}" is not a site id`);
  const raw = count(options["raw-months"], "raw-months") ?? 13;
  const rollup = count(options["rollup-months"], "rollup-months") ?? 60;
  if (raw < 1 || rollup < raw)
    throw new CliError("retention set: need 1 <= --raw-months <= --rollup-months");
  return withClickHouse(ctx, async (ch) => {
    await setSiteRetention(ch.client, site, { rawMonths: raw, rollupMonths: rollup }, out);
    out(`${site}: raw events kept ${raw} months, rollups ${rollup} months`);
    return 0;
  });
};

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** The commands of this file (cli/run.ts adds backup and restore). */
export const COMMANDS: Record<string, Command> = {
  migrate: migrateCommand,
  ship,
  replay,
  stats,
  rollups,
  retention,
};
