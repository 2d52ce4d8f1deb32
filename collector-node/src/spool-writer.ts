import { mkdirSync, writeSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { join } from "node:path";

export type FsyncPolicy = "none" | "interval" | "batch";

export interface SpoolWriterOptions {
  dir: string;
  maxFileBytes: number;
  maxFileAgeMs: number;
  fsync: FsyncPolicy;
  /** Called after each successful write, e.g. to wake the shipper. */
  onWrite?: () => void;
}

interface Pending {
  data: Buffer;
  /** The chunk `data` lies in, until its bytes are written (or never will be). */
  chunk: Chunk | null;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** A buffer appends are encoded into, one after another. */
interface Chunk {
  buffer: Buffer;
  used: number;
  /** Appends encoded here whose bytes are not written yet. */
  pending: number;
}

const FSYNC_INTERVAL_MS = 1000;
/**
 * Appends are encoded into shared chunks of this size, so an append costs no buffer of its own
 * and a group's appends, side by side in one chunk, are written without a copy (allocating a
 * buffer per append cost ~7× its encoding). A chunk is reused once all its bytes are written:
 * fresh memory costs page faults, and warm memory stays in cache.
 */
const CHUNK_BYTES = 512 * 1024;
/** Appends that could need more than this many bytes get a buffer of their own. */
const CHUNKED_MAX_BYTES = CHUNK_BYTES / 8;
const SPARE_CHUNKS = 2;
const EMPTY = Buffer.alloc(0);

/** Spool file names sort in the order they were opened. */
export function spoolFileName(now: number, seq: number): string {
  return `events-${String(now).padStart(14, "0")}-${process.pid}-${String(seq).padStart(4, "0")}.ndjson`;
}

/** The group's bytes as one buffer: a view when they lie side by side in one chunk, else a copy. */
function joined(group: readonly Pending[]): Buffer {
  const first = (group[0] as Pending).data;
  let end = first.byteOffset + first.byteLength;
  for (let i = 1; i < group.length; i++) {
    const data = (group[i] as Pending).data;
    if (data.buffer !== first.buffer || data.byteOffset !== end) {
      return Buffer.concat(group.map((p) => p.data));
    }
    end += data.byteLength;
  }
  return group.length === 1
    ? first
    : Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}

/** One open spool file and the appends written to it that still wait for their fsync. */
interface OpenFile {
  handle: FileHandle;
  name: string;
  bytes: number;
  openedAt: number;
  /** Written, not yet covered by a started fsync (`batch` policy). */
  unsynced: Pending[];
  /** fsyncs in flight. */
  syncing: Set<Promise<void>>;
  /** Set once an fsync failed: nothing on this file is acknowledged any more. */
  failed: Error | null;
}

/**
 * Appends NDJSON lines to the spool with group commit: lines from concurrent requests are written
 * together, and each caller's promise settles only after the write (and fsync, per policy) returned.
 * A new process always opens a new file, so a line torn by a crash never gets appended to.
 *
 * Under `batch`, a file has one fsync at a time: lines that arrive meanwhile are written and
 * acknowledged together by the next fsync. An append is acknowledged only by an fsync that started
 * after its write returned. (Spacing fsyncs 3 ms apart saved CPU under contention, but on a quiet
 * machine it cost a fifth of single-event throughput, which is bound by fsync latency.)
 *
 * A group's write is synchronous: it only copies into the page cache (tens of µs), which costs less
 * than a round trip through libuv's thread pool, two thread wake-ups per group (in cluster mode on
 * 2 cores, ~20% of the CPU of a single-event request). fsyncs, which wait on the disk, stay on it.
 */
export class SpoolWriter {
  readonly #options: SpoolWriterOptions;
  #queue: Pending[] = [];
  #writing = false;
  #file: OpenFile | null = null;
  #seq = 0;
  #dirty = false;
  #timer: NodeJS.Timeout | null = null;
  #ageTimer: NodeJS.Timeout;
  #closed = false;
  #chunk: Chunk | null = null;
  #spare: Buffer[] = [];

  constructor(options: SpoolWriterOptions) {
    this.#options = options;
    mkdirSync(options.dir, { recursive: true });
    if (options.fsync === "interval") {
      this.#timer = setInterval(() => void this.#syncIfDirty(), FSYNC_INTERVAL_MS);
      this.#timer.unref();
    }
    // An idle file is sealed once it is old too, so the shipper can finish and delete it.
    this.#ageTimer = setInterval(
      () => void this.#sealIfOld(),
      Math.max(10, Math.min(options.maxFileAgeMs, 1000)),
    );
    this.#ageTimer.unref();
  }

  async #sealIfOld(): Promise<void> {
    if (this.#writing || !this.#file) return;
    if (Date.now() - this.#file.openedAt < this.#options.maxFileAgeMs) return;
    await this.#closeFile().catch(() => {});
  }

  /** The file now being appended to; every other spool file is sealed. */
  get activeFile(): string | null {
    return this.#file?.name ?? null;
  }

  /** Appends complete lines (each ending in "\n"); resolves once they are written. */
  append(lines: string): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("spool writer is closed"));
    // Encoded per append: joining many large strings into one before encoding costs ~8× more.
    let data: Buffer;
    let chunk: Chunk | null = null;
    const most = lines.length * 3; // UTF-8 bytes per UTF-16 unit, at most
    if (most > CHUNKED_MAX_BYTES) data = Buffer.from(lines);
    else {
      chunk = this.#chunkWith(most);
      const start = chunk.used;
      chunk.used += chunk.buffer.write(lines, start);
      chunk.pending++;
      data = chunk.buffer.subarray(start, chunk.used);
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ data, chunk, resolve, reject });
      if (!this.#writing) {
        // Written once this turn of the event loop has read every request that arrived with it:
        // their appends share one write (written at once, each request would get its own).
        this.#writing = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  /** The current chunk, or a new one when it has less than `bytes` left. */
  #chunkWith(bytes: number): Chunk {
    const current = this.#chunk;
    if (current && current.buffer.byteLength - current.used >= bytes) return current;
    if (current && current.pending === 0) this.#spareChunk(current);
    const chunk = {
      buffer: this.#spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES),
      used: 0,
      pending: 0,
    };
    this.#chunk = chunk;
    return chunk;
  }

  #spareChunk(chunk: Chunk): void {
    if (this.#spare.length < SPARE_CHUNKS) this.#spare.push(chunk.buffer);
  }

  /** Called once the group's bytes are written, or never will be: their chunk space is free. */
  #release(group: readonly Pending[]): void {
    for (const p of group) {
      const chunk = p.chunk;
      if (!chunk) continue;
      p.chunk = null;
      p.data = EMPTY;
      chunk.pending--;
      if (chunk.pending === 0 && chunk !== this.#chunk) this.#spareChunk(chunk);
    }
  }

  /** Runs while `#writing`, which `append` sets when it schedules it. */
  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const group = this.#queue;
      this.#queue = [];
      const buffer = joined(group);
      try {
        const file = await this.#fileFor(buffer.byteLength);
        let written = 0;
        while (written < buffer.byteLength) {
          written += writeSync(file.handle.fd, buffer, written);
        }
        this.#release(group);
        file.bytes += buffer.byteLength;
        if (this.#options.fsync === "batch") {
          file.unsynced.push(...group);
          this.#startSync(file);
          if (file.unsynced.length > 0) {
            // An fsync is in flight and does not cover this group. Gather what
            // arrives meanwhile, write it once that one is over, then one fsync covers both.
            await Promise.allSettled(file.syncing);
            if (this.#queue.length === 0) this.#startSync(file);
          }
        } else {
          this.#dirty = true;
          for (const p of group) p.resolve();
          this.#options.onWrite?.();
        }
      } catch (error) {
        this.#release(group);
        // The file may now end in a torn line: start a fresh one for what comes next.
        await this.#closeFile().catch(() => {});
        for (const p of group) p.reject(error as Error);
      }
    }
    this.#writing = false;
  }

  /**
   * Starts an fsync covering every group written to `file` so far, unless one is in flight: then
   * the groups wait for the next one. One at a time, so fsyncs never hold more than
   * one of libuv's threads.
   */
  #startSync(file: OpenFile): void {
    if (file.unsynced.length === 0 || file.syncing.size > 0) return;
    const covered = file.unsynced;
    file.unsynced = [];
    const sync: Promise<void> = file.handle.datasync().then(
      () => {
        if (file.failed) for (const p of covered) p.reject(file.failed);
        else {
          for (const p of covered) p.resolve();
          this.#options.onWrite?.();
        }
      },
      (error: Error) => {
        // Pages that failed to reach the disk may be gone: acknowledge nothing more of this file.
        file.failed = error;
        for (const p of covered) p.reject(error);
        if (this.#file === file) void this.#closeFile().catch(() => {});
      },
    );
    file.syncing.add(sync);
    void sync.finally(() => {
      file.syncing.delete(sync);
      // While #drain waits on this fsync it writes what is queued first and starts the next.
      if (!this.#writing || this.#file !== file) this.#startSync(file);
    });
  }

  async #fileFor(incoming: number): Promise<OpenFile> {
    const now = Date.now();
    const current = this.#file;
    if (current) {
      const full = current.bytes > 0 && current.bytes + incoming > this.#options.maxFileBytes;
      const old = now - current.openedAt >= this.#options.maxFileAgeMs;
      if (full || old || current.failed) await this.#closeFile();
    }
    if (!this.#file) {
      const name = spoolFileName(now, this.#seq++);
      const handle = await open(join(this.#options.dir, name), "wx", 0o640);
      this.#file = {
        handle,
        name,
        bytes: 0,
        openedAt: now,
        unsynced: [],
        syncing: new Set(),
        failed: null,
      };
    }
    return this.#file;
  }

  async #syncIfDirty(): Promise<void> {
    if (!this.#dirty || !this.#file) return;
    this.#dirty = false;
    await this.#file.handle.datasync().catch(() => {});
  }

  /** Seals the active file: its last fsyncs settle (and acknowledge their appends) first. */
  async #closeFile(): Promise<void> {
    const file = this.#file;
    this.#file = null;
    if (!file) return;
    while (file.syncing.size > 0 || file.unsynced.length > 0) {
      this.#startSync(file);
      await Promise.allSettled(file.syncing);
    }
    if (this.#dirty) await file.handle.datasync().catch(() => {});
    this.#dirty = false;
    await file.handle.close();
  }

  /** Writes what is queued, then closes the file. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    clearInterval(this.#ageTimer);
    while (this.#writing) await new Promise((r) => setTimeout(r, 5));
    await this.#closeFile();
  }
}
