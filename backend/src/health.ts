import { randomBytes } from "node:crypto";
import { mkdir, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Shipper } from "@sightline/collector-node";
import type { ClickHouse } from "@sightline/config";

/** One readiness check: whether it passed and, in words, what it found. */
export interface Check {
  ok: boolean;
  detail: string;
}

export interface Readiness {
  status: "ready" | "not_ready";
  checks: { clickhouse: Check; spool: Check; shipper: Check };
}

export interface ReadinessDeps {
  ch: Pick<ClickHouse, "read">;
  spoolDir: string;
  /** `spool.maxBytes`: past it ingest refuses new events. */
  spoolMaxBytes: number;
  /** The built-in shipper, or null where Vector ships the spool (`shipper.enabled: false`). */
  shipper: Pick<Shipper, "lagBytes" | "stats"> | null;
  now?: () => number;
}

/** ClickHouse must answer `SELECT 1` within this long. */
export const CLICKHOUSE_TIMEOUT_MS = 2_000;
/** The shipper is behind when this many spool bytes wait (or half of spool.maxBytes, if less). */
export const SHIPPER_BEHIND_BYTES = 1024 * 1024 * 1024;
/** ...or when it has waiting bytes and has not shipped anything for this long while failing. */
export const SHIPPER_STALLED_MS = 5 * 60_000;

function timeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function clickhouse(ch: ReadinessDeps["ch"]): Promise<Check> {
  const started = Date.now();
  try {
    await timeout(ch.read("SELECT 1 AS ok"), CLICKHOUSE_TIMEOUT_MS, "ClickHouse");
    return { ok: true, detail: `answered in ${Date.now() - started} ms` };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}

/** A real write (one byte, then removed): a read-only or full disk fails it. */
async function spool(dir: string): Promise<Check> {
  const probe = join(dir, `.readyz-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, "1", { flag: "wx" });
    await unlink(probe);
    return { ok: true, detail: `${dir} is writable` };
  } catch (error) {
    await unlink(probe).catch(() => {});
    return { ok: false, detail: `${dir} is not writable: ${(error as Error).message}` };
  }
}

async function shipper(deps: ReadinessDeps, startedAt: number): Promise<Check> {
  const { shipper } = deps;
  if (!shipper) return { ok: true, detail: "disabled here (another process ships the spool)" };
  const now = (deps.now ?? Date.now)();
  const limit = Math.min(SHIPPER_BEHIND_BYTES, Math.floor(deps.spoolMaxBytes / 2));
  let lag: number;
  try {
    lag = await shipper.lagBytes();
  } catch (error) {
    return { ok: false, detail: `cannot measure the spool: ${(error as Error).message}` };
  }
  const { lastShippedAt, lastError, failures } = shipper.stats;
  if (lag > limit) {
    return { ok: false, detail: `${lag} bytes not yet shipped (limit ${limit})` };
  }
  const quietFor = now - (lastShippedAt ?? startedAt);
  if (lag > 0 && failures > 0 && lastError && quietFor > SHIPPER_STALLED_MS) {
    return {
      ok: false,
      detail: `nothing shipped for ${Math.round(quietFor / 1000)} s with ${lag} bytes waiting: ${lastError}`,
    };
  }
  return { ok: true, detail: `${lag} bytes not yet shipped` };
}

/**
 * `/readyz`: ClickHouse answers, the spool takes a write, and the shipper is not behind. Checks
 * run side by side; any failure makes the whole answer not ready.
 */
export function readinessProbe(deps: ReadinessDeps): () => Promise<Readiness> {
  const startedAt = (deps.now ?? Date.now)();
  return async () => {
    const [ch, sp, sh] = await Promise.all([
      clickhouse(deps.ch),
      spool(deps.spoolDir),
      shipper(deps, startedAt),
    ]);
    const ok = ch.ok && sp.ok && sh.ok;
    return {
      status: ok ? "ready" : "not_ready",
      checks: { clickhouse: ch, spool: sp, shipper: sh },
    };
  };
}
