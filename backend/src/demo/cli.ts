import { statfsSync } from "node:fs";
import { join } from "node:path";
import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { SpoolGuard } from "@sightline/collector-node";
import { loadSettings, SettingsError } from "@sightline/config";
import { MetaStore } from "../store/store.ts";
import { DEFAULT_SITE_IDS, type DemoSite, demoSite, isDemoSiteId } from "./catalog.ts";
import { generateEvents, newRunId } from "./generate.ts";
import { DemoLineEncoder } from "./line.ts";
import { DemoSpoolWriter } from "./spool-files.ts";

export const DEFAULT_EVENTS = 150_000;
export const MAX_EVENTS = 100_000_000;
export const DEFAULT_DAYS = 30;
export const MAX_DAYS = 365;
/** A little above the average demo line, to check free space before writing. */
const BYTES_PER_EVENT = 900;
/**
 * The share of spool.maxBytes the demo may fill. Past the bound the server refuses real events
 * (503), and past 80% it warns; the demo stays below both and waits for the shipper instead.
 */
const SPOOL_SHARE = 0.75;

export const HELP = `Usage: pnpm demo [options]

Fills Sightline with realistic demo data: creates the demo sites (when absent) and writes
synthetic events into the spool, which the running server ships into ClickHouse.

Options:
  --events <n>    how many events to write (default ${DEFAULT_EVENTS}, at most ${MAX_EVENTS})
  --days <n>      spread them over the last n days up to now (default ${DEFAULT_DAYS}, at most ${MAX_DAYS})
  --seed <n>      random seed, 0 to 4294967295 (default: random); the same seed writes the
                  same dataset again, shifted to the current time and with new event ids
  --sites <list>  comma-separated site ids, which are also their domains
                  (default ${DEFAULT_SITE_IDS.join(",")});
                  each gets a shop, blog or docs profile, guessed from its name
  -h, --help      show this help

The data and spool folders come from sightline.yaml and SIGHTLINE_* variables, as for pnpm start.
The demo keeps the spool below ${SPOOL_SHARE * 100}% of spool.maxBytes, waiting for the shipper when it is full.
`;

export interface DemoArgs {
  help: boolean;
  events: number;
  days: number;
  seed: number | null;
  sites: string[];
}

export class UsageError extends Error {
  override name = "UsageError";
}

const VALUE_OPTIONS = ["--events", "--days", "--seed", "--sites"];

function integer(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`--${name} must be a positive integer`);
  }
  if (value > max) throw new UsageError(`--${name} must be at most ${max}`);
  return value;
}

/** Reads the command line; throws UsageError with a message meant for the user. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  // "--events -5" would otherwise be refused as an ambiguous option rather than a bad number.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (VALUE_OPTIONS.includes(arg) && next !== undefined && /^-\d/.test(next)) {
      args.push(`${arg}=${next}`);
      i++;
    } else {
      args.push(arg);
    }
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        events: { type: "string" },
        days: { type: "string" },
        seed: { type: "string" },
        sites: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const option = /'(-[-\w]+)/.exec(message)?.[1];
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) {
      throw new UsageError(`${option.replace(/ .*/, "")} needs a value`);
    }
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) {
      throw new UsageError(`unknown option ${option}`);
    }
    const positional = /argument '([^']*)'/.exec(message)?.[1];
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL" && positional !== undefined) {
      throw new UsageError(`unexpected argument "${positional}": every option starts with --`);
    }
    throw new UsageError(message.split("\n")[0] ?? message);
  }
  const str = (key: string) => values[key] as string | undefined;

  let seed: number | null = null;
  const rawSeed = str("seed");
  if (rawSeed !== undefined) {
    seed = /^\s*\d+\s*$/.test(rawSeed) ? Number(rawSeed) : Number.NaN;
    if (!Number.isSafeInteger(seed) || seed > 0xffff_ffff) {
      throw new UsageError("--seed must be an integer from 0 to 4294967295");
    }
  }

  let sites: string[] = [...DEFAULT_SITE_IDS];
  const rawSites = str("sites");
  if (rawSites !== undefined) {
    sites = rawSites.split(",").map((s) => s.trim());
    if (sites.every((s) => s === "")) throw new UsageError("--sites needs at least one site id");
    for (const id of sites) {
      if (!isDemoSiteId(id)) {
        throw new UsageError(
          `--sites: "${id}" is not a valid site id (use a lowercase domain such as shop.example)`,
        );
      }
    }
    const twice = sites.find((id, i) => sites.indexOf(id) !== i);
    if (twice) throw new UsageError(`--sites lists "${twice}" twice`);
  }

  return {
    help: values.help === true,
    events: integer("events", str("events"), DEFAULT_EVENTS, MAX_EVENTS),
    days: integer("days", str("days"), DEFAULT_DAYS, MAX_DAYS),
    seed,
    sites,
  };
}

export interface DemoIo {
  /** Results. */
  out: (line: string) => void;
  /** Progress and errors. */
  err: (line: string) => void;
}

export interface DemoEnvironment {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** The time anchor (default: now). */
  now?: number;
}

const stdio: DemoIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

const count = (n: number) => n.toLocaleString("en-US");

function size(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function rate(events: number, ms: number): string {
  const perSecond = ms > 0 ? (events * 1000) / ms : 0;
  return perSecond >= 10_000 ? `${Math.round(perSecond / 1000)}k` : `${Math.round(perSecond)}`;
}

/** Creates the demo sites that do not exist yet; returns which ones it created. */
async function ensureSites(dataDir: string, sites: readonly DemoSite[]): Promise<Set<string>> {
  const store = new MetaStore(join(dataDir, "lmdb"));
  try {
    const created = new Set<string>();
    for (const { id, name, domains } of sites) {
      if (store.createSite({ id, name, domains })) created.add(id);
    }
    return created;
  } finally {
    await store.close();
  }
}

/**
 * Keeps the spool under SPOOL_SHARE of spool.maxBytes while the demo writes, measured the way the
 * server measures it. When full, the demo seals its file (so the shipper can take it) and waits.
 */
class SpoolRoom {
  readonly #guard: SpoolGuard;
  readonly #budget: number;
  #room = 0;

  constructor(dir: string, maxBytes: number) {
    this.#guard = new SpoolGuard({ dir, maxBytes, lowDiskBytes: 0 });
    this.#budget = Math.floor(maxBytes * SPOOL_SHARE);
  }

  get budget(): number {
    return this.#budget;
  }

  /** Waits until `bytes` more fit; false when interrupted while waiting. */
  async reserve(
    bytes: number,
    writer: DemoSpoolWriter,
    io: DemoIo,
    interrupted: () => boolean,
  ): Promise<boolean> {
    if (bytes <= this.#room) {
      this.#room -= bytes;
      return true;
    }
    await this.#measure(writer);
    if (bytes > this.#room && this.#guard.spoolBytes + writer.pendingBytes > 0) {
      writer.close();
      io.err(
        `demo: the spool holds ${size(this.#guard.spoolBytes)}, near spool.maxBytes: waiting for the shipper (is the server running? start it with \`pnpm start\`)`,
      );
      const started = performance.now();
      while (!interrupted()) {
        await sleep(1000);
        await this.#measure(writer);
        // An empty spool always takes the next chunk, even one larger than the budget.
        if (bytes <= this.#room || this.#guard.spoolBytes === 0) break;
      }
      if (interrupted()) return false;
      io.err(
        `demo: the shipper caught up after ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
    }
    this.#room -= bytes;
    return true;
  }

  async #measure(writer: DemoSpoolWriter): Promise<void> {
    await this.#guard.measure();
    this.#room = this.#budget - this.#guard.spoolBytes - writer.pendingBytes;
  }
}

/** `pnpm demo`: returns the exit code (0 done, 2 bad arguments, 78 bad settings, 130 interrupted). */
export async function runDemo(
  argv: readonly string[],
  io: DemoIo = stdio,
  environment: DemoEnvironment = {},
): Promise<number> {
  let args: DemoArgs;
  try {
    args = parseDemoArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`demo: ${error.message}`);
    io.err(`Run "pnpm demo --help" for the options.`);
    return 2;
  }
  if (args.help) {
    io.out(HELP.trimEnd());
    return 0;
  }

  let settings: ReturnType<typeof loadSettings>;
  try {
    settings = loadSettings({ env: environment.env, cwd: environment.cwd });
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    io.err(error.message);
    return 78;
  }

  const spoolDir = settings.spool.dir;
  const writer = new DemoSpoolWriter({ dir: spoolDir, maxFileBytes: settings.spool.maxFileBytes });
  const room = new SpoolRoom(spoolDir, settings.spool.maxBytes);
  try {
    const { bavail, bsize } = statfsSync(spoolDir);
    // The shipper empties the spool while the demo writes: it never holds more than the budget.
    const needed = Math.min(args.events * BYTES_PER_EVENT, room.budget);
    if (bavail * bsize < needed) {
      io.err(
        `demo: not enough free space in ${spoolDir}: about ${size(needed)} needed, ${size(bavail * bsize)} free`,
      );
      return 1;
    }
  } catch {
    // No free-space figure on this file system: go ahead.
  }

  const sites = args.sites.map((id, i) => demoSite(id, i));
  const created = await ensureSites(settings.dataDir, sites);
  const seed = args.seed ?? Math.floor(Math.random() * 0x1_0000_0000);
  io.err(
    `demo: ${count(args.events)} events over the last ${args.days} days for ${sites
      .map((s) => `${s.id} (${s.kind}${created.has(s.id) ? ", created" : ""})`)
      .join(", ")}; seed ${seed}`,
  );

  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  const encoder = new DemoLineEncoder();
  const started = performance.now();
  let lastReport = started;
  let written = 0;
  try {
    for (const rows of generateEvents({
      events: args.events,
      days: args.days,
      seed,
      sites,
      now: environment.now ?? Date.now(),
      runId: newRunId(),
    })) {
      const chunk = encoder.encode(rows);
      if (!(await room.reserve(chunk.length, writer, io, () => interrupted))) break;
      writer.write(chunk);
      written += rows.length;
      const now = performance.now();
      if (now - lastReport >= 1000 && written < args.events) {
        lastReport = now;
        io.err(
          `demo: ${count(written)} / ${count(args.events)} events (${Math.floor((written * 100) / args.events)}%) ${rate(written, now - started)} events/s`,
        );
      }
      // Lets a Ctrl-C through between batches.
      await nextTurn();
      if (interrupted) break;
    }
    writer.close();
  } catch (error) {
    writer.abort();
    throw error;
  } finally {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
  }

  const ms = performance.now() - started;
  const files = writer.files.length;
  io.out(
    `demo: ${interrupted ? "interrupted after" : "wrote"} ${count(written)} events in ${files} ${files === 1 ? "file" : "files"} (${size(writer.bytes)}) to ${spoolDir} in ${(ms / 1000).toFixed(1)} s (${rate(written, ms)} events/s)`,
  );
  io.out(`demo: sites: ${sites.map((s) => s.id).join(", ")}`);
  io.out(
    settings.shipper.enabled
      ? "The running stack ships them within seconds; if it is not running, start it with `pnpm start`."
      : "The built-in shipper is off in these settings (shipper.enabled): whatever ships this spool, such as Vector, loads them.",
  );
  return interrupted ? 130 : 0;
}
