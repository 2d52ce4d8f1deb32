import { open, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { ClickHouseClient } from "@clickhouse/client";
import { DATABASE } from "@sightline/config";
import { CheckpointFile, type CheckpointState, type Range } from "./checkpoint.ts";

export interface ShipperOptions {
  spoolDir: string;
  /** Where the checkpoint file lives (default: inside the spool folder). */
  checkpointPath?: string;
  client: ClickHouseClient;
  batchRows: number;
  batchBytes: number;
  intervalMs: number;
  /** False for the file a writer is still appending to. */
  isSealed: (file: string) => boolean;
  log?: (message: string) => void;
}

export interface ShipperStats {
  shippedRows: number;
  batches: number;
  failures: number;
  lastError: string | null;
}

const NEWLINE = 0x0a;
const MAX_BACKOFF_MS = 30_000;

function tokenFor(ranges: Range[]): string {
  return ranges.map((r) => `${r.file}:${r.start}-${r.end}`).join(",");
}

/**
 * The built-in shipper: source spool, sink ClickHouse. It reads complete lines past the
 * checkpoint, inserts them with a deduplication token derived from the file byte ranges, and
 * moves the checkpoint only after ClickHouse acknowledged. Fully shipped sealed files are removed.
 */
export class Shipper {
  readonly #o: ShipperOptions;
  readonly #checkpoint: CheckpointFile;
  #state: CheckpointState;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = true;
  #backoffMs = 0;
  readonly stats: ShipperStats = { shippedRows: 0, batches: 0, failures: 0, lastError: null };

  constructor(options: ShipperOptions) {
    this.#o = options;
    this.#checkpoint = new CheckpointFile(
      options.checkpointPath ?? join(options.spoolDir, "shipper.checkpoint.json"),
    );
    this.#state = this.#checkpoint.read();
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Ship soon: new lines were written. */
  poke(): void {
    if (this.#stopped || this.#backoffMs > 0) return;
    if (this.#running) this.#again = true;
    else this.#schedule(0);
  }

  /** Ships everything there is now; resolves when the spool is drained (used by tests and the CLI). */
  async drain(): Promise<void> {
    while (await this.#shipOnce()) {}
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.#loop().finally(() => {
        this.#running = null;
      });
    }, delayMs);
  }

  async #loop(): Promise<void> {
    try {
      let more = true;
      while (more && !this.#stopped) more = await this.#shipOnce();
      this.#backoffMs = 0;
    } catch (error) {
      this.stats.failures++;
      this.stats.lastError = (error as Error).message;
      this.#backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(500, this.#backoffMs * 2));
      this.#o.log?.(
        `shipper: delivery failed, retrying in ${this.#backoffMs} ms: ${(error as Error).message}`,
      );
      this.#schedule(this.#backoffMs);
      return;
    }
    const delay = this.#again ? 0 : this.#o.intervalMs;
    this.#again = false;
    this.#schedule(delay);
  }

  /** Ships one batch; returns true when something was shipped, so more may be waiting. */
  async #shipOnce(): Promise<boolean> {
    const inflight = this.#state.inflight;
    if (inflight) {
      // A batch was sent before a crash or failure: resend exactly it, so its token matches.
      const raw = await Promise.all(inflight.map((r) => this.#readRange(r)));
      // A skipped torn line is a range with no complete line in it: send nothing for it.
      const chunks = raw.map((c) => c.subarray(0, c.lastIndexOf(NEWLINE) + 1));
      await this.#insert(inflight, chunks);
      return true;
    }
    const { ranges, chunks } = await this.#nextBatch();
    if (ranges.length > 0) {
      this.#state = { ...this.#state, inflight: ranges };
      this.#checkpoint.write(this.#state);
      await this.#insert(ranges, chunks);
    }
    await this.#removeShippedFiles();
    return ranges.length > 0;
  }

  async #insert(ranges: Range[], chunks: Buffer[]): Promise<void> {
    const body = Buffer.concat(chunks);
    let rows = 0;
    for (const byte of body) if (byte === NEWLINE) rows++;
    if (rows > 0) {
      const result = await this.#o.client.exec({
        query: `INSERT INTO ${DATABASE}.events FORMAT JSONEachRow`,
        values: Readable.from([body], { objectMode: false }),
        clickhouse_settings: {
          insert_deduplication_token: tokenFor(ranges),
          insert_deduplicate: 1,
          async_insert: 0,
        },
      });
      result.stream.resume();
    }
    const shipped = { ...this.#state.shipped };
    for (const r of ranges) shipped[r.file] = Math.max(shipped[r.file] ?? 0, r.end);
    this.#state = { shipped, inflight: null };
    this.#checkpoint.write(this.#state);
    this.stats.shippedRows += rows;
    this.stats.batches++;
  }

  async #spoolFiles(): Promise<string[]> {
    const names = await readdir(this.#o.spoolDir);
    return names.filter((n) => n.endsWith(".ndjson")).sort();
  }

  async #nextBatch(): Promise<{ ranges: Range[]; chunks: Buffer[] }> {
    const ranges: Range[] = [];
    const chunks: Buffer[] = [];
    let bytes = 0;
    let rows = 0;
    for (const file of await this.#spoolFiles()) {
      const start = this.#state.shipped[file] ?? 0;
      const size = (await stat(join(this.#o.spoolDir, file))).size;
      if (size <= start) continue;
      const budget = this.#o.batchBytes - bytes;
      const chunk = await this.#readRange({ file, start, end: Math.min(size, start + budget) });
      let end = chunk.lastIndexOf(NEWLINE) + 1;
      if (end === 0) {
        if (chunk.length < budget && this.#o.isSealed(file) && size === start + chunk.length) {
          // A sealed file ending in a torn line (a crash mid-write, never acknowledged): skip it.
          this.#o.log?.(`shipper: skipping ${chunk.length} bytes of a torn last line in ${file}`);
          ranges.push({ file, start, end: size });
          chunks.push(Buffer.alloc(0));
        }
        if (chunk.length >= budget) return { ranges, chunks };
        continue;
      }
      let lines = 0;
      for (let i = 0; i < end; i++) {
        if (chunk[i] === NEWLINE && ++lines + rows >= this.#o.batchRows) {
          end = i + 1;
          break;
        }
      }
      ranges.push({ file, start, end: start + end });
      chunks.push(chunk.subarray(0, end));
      bytes += end;
      rows += lines;
      if (rows >= this.#o.batchRows || bytes >= this.#o.batchBytes) {
        return { ranges, chunks };
      }
    }
    return { ranges, chunks };
  }

  async #readRange(range: Range): Promise<Buffer> {
    const handle = await open(join(this.#o.spoolDir, range.file), "r");
    try {
      const buffer = Buffer.alloc(range.end - range.start);
      let read = 0;
      while (read < buffer.length) {
        const { bytesRead } = await handle.read(
          buffer,
          read,
          buffer.length - read,
          range.start + read,
        );
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return buffer.subarray(0, read);
    } finally {
      await handle.close();
    }
  }

  async #removeShippedFiles(): Promise<void> {
    const present = new Set(await this.#spoolFiles());
    let changed = false;
    const shipped = { ...this.#state.shipped };
    for (const [file, offset] of Object.entries(shipped)) {
      if (!present.has(file)) {
        delete shipped[file];
        changed = true;
        continue;
      }
      if (!this.#o.isSealed(file)) continue;
      const size = (await stat(join(this.#o.spoolDir, file))).size;
      if (offset >= size) {
        await rm(join(this.#o.spoolDir, file), { force: true });
        delete shipped[file];
        changed = true;
      }
    }
    if (changed) {
      this.#state = { ...this.#state, shipped };
      this.#checkpoint.write(this.#state);
    }
  }

  /** Bytes in the spool not yet acknowledged by ClickHouse. */
  async lagBytes(): Promise<number> {
    let lag = 0;
    for (const file of await this.#spoolFiles()) {
      const size = (await stat(join(this.#o.spoolDir, file))).size;
      lag += Math.max(0, size - (this.#state.shipped[file] ?? 0));
    }
    return lag;
  }
}
