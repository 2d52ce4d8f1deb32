import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

const NEWLINE = 0x0a;
/** Shared by every writer in the process, so names never repeat. */
let nextSeq = 0;

/**
 * A spool file name for demo events: like the collector's (`events-<ms>-<pid>-<seq>.ndjson`, so
 * they sort by time), with a `demo` marker.
 */
export function demoSpoolFileName(now: number, seq: number): string {
  return `events-${String(now).padStart(14, "0")}-demo-${process.pid}-${String(seq).padStart(4, "0")}.ndjson`;
}

export interface DemoSpoolOptions {
  dir: string;
  /** No file grows past this (settings.spool.maxFileBytes). */
  maxFileBytes: number;
  /** For file names; Date.now by default. */
  clock?: () => number;
}

/**
 * Writes complete NDJSON lines into spool files that appear all at once: each file is written
 * under a temporary name the shipper ignores (it reads only `*.ndjson`), synced, then renamed.
 * A shipper never sees a partial demo file, even while the server runs.
 */
export class DemoSpoolWriter {
  readonly #dir: string;
  readonly #max: number;
  readonly #clock: () => number;
  #fd: number | null = null;
  #temp = "";
  #fileBytes = 0;
  #seq = 0;
  /** Names of the finished files, in order. */
  readonly files: string[] = [];
  /** Bytes in the finished files. */
  bytes = 0;

  constructor(options: DemoSpoolOptions) {
    if (!Number.isSafeInteger(options.maxFileBytes) || options.maxFileBytes < 1) {
      throw new RangeError("maxFileBytes must be a positive integer");
    }
    this.#dir = options.dir;
    this.#max = options.maxFileBytes;
    this.#clock = options.clock ?? Date.now;
    mkdirSync(this.#dir, { recursive: true });
  }

  /** Bytes in the file being written, not yet in the spool. */
  get pendingBytes(): number {
    return this.#fileBytes;
  }

  /** Appends whole lines (the chunk must end with a newline), starting new files as they fill. */
  write(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (chunk[chunk.length - 1] !== NEWLINE)
      throw new Error("a spool chunk must end with a newline");
    let offset = 0;
    while (offset < chunk.length) {
      const room = this.#max - this.#fileBytes;
      let end = chunk.length;
      if (end - offset > room) {
        // The last line that still fits in this file.
        const cut = room > 0 ? chunk.lastIndexOf(NEWLINE, offset + room - 1) : -1;
        if (cut < offset) {
          if (this.#fileBytes === 0) {
            const line = chunk.indexOf(NEWLINE, offset) + 1 - offset;
            throw new Error(
              `an event line of ${line} bytes does not fit in spool.maxFileBytes (${this.#max} bytes)`,
            );
          }
          this.#seal();
          continue;
        }
        end = cut + 1;
      }
      const fd = this.#open();
      let written = offset;
      while (written < end) written += writeSync(fd, chunk, written, end - written);
      this.#fileBytes += end - offset;
      offset = end;
    }
  }

  /** Finishes the current file; the writer may be used again afterwards. */
  close(): void {
    if (this.#fd === null) return;
    if (this.#fileBytes === 0) this.abort();
    else this.#seal();
  }

  /** Drops the unfinished file (after an error); finished files stay in the spool. */
  abort(): void {
    if (this.#fd === null) return;
    closeSync(this.#fd);
    this.#fd = null;
    rmSync(this.#temp, { force: true });
    this.#fileBytes = 0;
  }

  #open(): number {
    if (this.#fd !== null) return this.#fd;
    this.#seq = nextSeq++;
    this.#temp = join(this.#dir, `.demo-${process.pid}-${this.#seq}.tmp`);
    // "w": a leftover with this name can only be from a dead process that had our pid.
    this.#fd = openSync(this.#temp, "w", 0o640);
    this.#fileBytes = 0;
    return this.#fd;
  }

  #seal(): void {
    const fd = this.#fd;
    if (fd === null) return;
    fsyncSync(fd);
    closeSync(fd);
    this.#fd = null;
    const name = demoSpoolFileName(this.#clock(), this.#seq);
    renameSync(this.#temp, join(this.#dir, name));
    // Make the rename itself durable.
    const dir = openSync(this.#dir, "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    this.files.push(name);
    this.bytes += this.#fileBytes;
    this.#fileBytes = 0;
  }
}
