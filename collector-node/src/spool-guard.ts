import { stat, statfs } from "node:fs/promises";
import { join } from "node:path";
import { listSpoolFiles } from "./spool-files.ts";

export interface SpoolGuardOptions {
  dir: string;
  /** Past this many spool bytes, new lines are refused. */
  maxBytes: number;
  /** Below this many free bytes on the spool's disk, a warning is logged. */
  lowDiskBytes: number;
  log?: (line: string) => void;
  /** How often the folder is measured (default 2 s); between looks, appends are added up. */
  refreshMs?: number;
  now?: () => number;
}

export class SpoolFullError extends Error {
  override name = "SpoolFullError";
}

const WARN_EVERY_MS = 60_000;

/**
 * Keeps the spool bounded while ClickHouse is away: it measures the spool and the free disk now
 * and then, refuses appends past `maxBytes` (the collector answers 503, so trackers retry and
 * nothing accepted is lost), and warns clearly when the disk runs low.
 */
export class SpoolGuard {
  readonly #o: SpoolGuardOptions;
  #spoolBytes = 0;
  #freeBytes = Number.POSITIVE_INFINITY;
  #measuredAt = Number.NEGATIVE_INFINITY;
  #warnedAt = Number.NEGATIVE_INFINITY;
  #measuring: Promise<void> | null = null;

  constructor(options: SpoolGuardOptions) {
    this.#o = options;
  }

  get spoolBytes(): number {
    return this.#spoolBytes;
  }

  get freeBytes(): number {
    return this.#freeBytes;
  }

  /** Measures the spool folder and its disk now. */
  async measure(): Promise<void> {
    this.#measuring ??= this.#measure().finally(() => {
      this.#measuring = null;
    });
    await this.#measuring;
  }

  async #measure(): Promise<void> {
    let total = 0;
    for (const file of await listSpoolFiles(this.#o.dir)) {
      total += (await stat(join(this.#o.dir, file)).catch(() => null))?.size ?? 0;
    }
    const fs = await statfs(this.#o.dir);
    this.#spoolBytes = total;
    this.#freeBytes = fs.bavail * fs.bsize;
    this.#measuredAt = this.#now();
    this.#warn();
  }

  #now(): number {
    return this.#o.now?.() ?? Date.now();
  }

  #warn(): void {
    const now = this.#now();
    if (now - this.#warnedAt < WARN_EVERY_MS) return;
    const mb = (n: number) => `${Math.round(n / 1048576)} MB`;
    if (this.#freeBytes < this.#o.lowDiskBytes) {
      this.#warnedAt = now;
      this.#o.log?.(
        `WARNING: low disk space for the spool (${this.#o.dir}): ${mb(this.#freeBytes)} free, below spool.lowDiskBytes (${mb(this.#o.lowDiskBytes)}); the spool holds ${mb(this.#spoolBytes)} not yet removed. Is ClickHouse reachable?`,
      );
    } else if (this.#spoolBytes > this.#o.maxBytes * 0.8) {
      this.#warnedAt = now;
      this.#o.log?.(
        `WARNING: the spool holds ${mb(this.#spoolBytes)}, over 80% of spool.maxBytes (${mb(this.#o.maxBytes)}); at the bound ingest answers 503. Is ClickHouse reachable?`,
      );
    }
  }

  /** Resolves when `bytes` more fit in the spool; throws SpoolFullError when they do not. */
  async admit(bytes: number): Promise<void> {
    if (this.#now() - this.#measuredAt >= (this.#o.refreshMs ?? 2000)) await this.measure();
    if (this.#spoolBytes + bytes > this.#o.maxBytes) {
      this.#warn();
      throw new SpoolFullError(
        `spool is full: ${this.#spoolBytes} bytes unshipped, bound spool.maxBytes is ${this.#o.maxBytes}`,
      );
    }
    this.#spoolBytes += bytes;
  }
}
