import { mkdirSync } from "node:fs";
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
  data: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

const FSYNC_INTERVAL_MS = 1000;

/** Spool file names sort in the order they were opened. */
export function spoolFileName(now: number, seq: number): string {
  return `events-${String(now).padStart(14, "0")}-${process.pid}-${String(seq).padStart(4, "0")}.ndjson`;
}

/**
 * Appends NDJSON lines to the spool with group commit: lines from concurrent requests are written
 * together, and each caller's promise settles only after the write (and fsync, per policy) returned.
 * A new process always opens a new file, so a line torn by a crash never gets appended to.
 */
export class SpoolWriter {
  readonly #options: SpoolWriterOptions;
  #queue: Pending[] = [];
  #writing = false;
  #file: FileHandle | null = null;
  #fileName: string | null = null;
  #fileBytes = 0;
  #fileOpenedAt = 0;
  #seq = 0;
  #dirty = false;
  #timer: NodeJS.Timeout | null = null;
  #ageTimer: NodeJS.Timeout;
  #closed = false;

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
    if (Date.now() - this.#fileOpenedAt < this.#options.maxFileAgeMs) return;
    await this.#closeFile().catch(() => {});
  }

  /** The file now being appended to; every other spool file is sealed. */
  get activeFile(): string | null {
    return this.#fileName;
  }

  /** Appends complete lines (each ending in "\n"); resolves once they are written. */
  append(lines: string): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("spool writer is closed"));
    return new Promise((resolve, reject) => {
      this.#queue.push({ data: lines, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    while (this.#queue.length > 0) {
      const group = this.#queue;
      this.#queue = [];
      const buffer = Buffer.from(group.map((p) => p.data).join(""));
      try {
        const file = await this.#fileFor(buffer.byteLength);
        let written = 0;
        while (written < buffer.byteLength) {
          const { bytesWritten } = await file.write(buffer, written);
          written += bytesWritten;
        }
        this.#fileBytes += buffer.byteLength;
        if (this.#options.fsync === "batch") await file.datasync();
        else this.#dirty = true;
        for (const p of group) p.resolve();
        this.#options.onWrite?.();
      } catch (error) {
        // The file may now end in a torn line: start a fresh one for what comes next.
        await this.#closeFile().catch(() => {});
        for (const p of group) p.reject(error as Error);
      }
    }
    this.#writing = false;
  }

  async #fileFor(incoming: number): Promise<FileHandle> {
    const now = Date.now();
    const full = this.#fileBytes > 0 && this.#fileBytes + incoming > this.#options.maxFileBytes;
    const old = now - this.#fileOpenedAt >= this.#options.maxFileAgeMs;
    if (this.#file && (full || old)) await this.#closeFile();
    if (!this.#file) {
      const name = spoolFileName(now, this.#seq++);
      this.#file = await open(join(this.#options.dir, name), "wx", 0o640);
      this.#fileName = name;
      this.#fileBytes = 0;
      this.#fileOpenedAt = now;
    }
    return this.#file;
  }

  async #syncIfDirty(): Promise<void> {
    if (!this.#dirty || !this.#file) return;
    this.#dirty = false;
    await this.#file.datasync().catch(() => {});
  }

  async #closeFile(): Promise<void> {
    const file = this.#file;
    this.#file = null;
    this.#fileName = null;
    if (!file) return;
    if (this.#dirty) await file.datasync().catch(() => {});
    this.#dirty = false;
    await file.close();
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
