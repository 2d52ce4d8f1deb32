import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface Range {
  file: string;
  start: number;
  end: number;
}

/**
 * What the shipper has delivered: per spool file, the byte offset acknowledged by ClickHouse, and
 * the ranges in flight (one line batch, or the whole files being shipped side by side), so that
 * after a crash the same ranges are re-sent the same way, with the same deduplication tokens.
 */
export interface CheckpointState {
  /**
   * This spool's random id, the prefix of every deduplication token: spool file names are only
   * unique per machine, and a token seen from another spool must never drop a batch.
   */
  id?: string;
  shipped: Record<string, number>;
  inflight: Range[] | null;
}

/** A small JSON file replaced atomically (write, fsync, rename, fsync the folder). */
export class CheckpointFile {
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  read(): CheckpointState {
    try {
      const parsed = JSON.parse(readFileSync(this.#path, "utf8")) as Partial<CheckpointState>;
      return {
        ...(parsed.id ? { id: parsed.id } : {}),
        shipped: parsed.shipped ?? {},
        inflight: parsed.inflight ?? null,
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT")
        return { shipped: {}, inflight: null };
      throw new Error(`cannot read shipper checkpoint ${this.#path}: ${(error as Error).message}`);
    }
  }

  write(state: CheckpointState): void {
    const tmp = `${this.#path}.tmp`;
    const fd = openSync(tmp, "w", 0o640);
    try {
      writeFileSync(fd, JSON.stringify(state));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.#path);
    const dir = openSync(dirname(this.#path), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}
