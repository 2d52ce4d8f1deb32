import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface Range {
  file: string;
  start: number;
  end: number;
}

/**
 * What the shipper has delivered: per spool file, the byte offset acknowledged by ClickHouse, and
 * the batch in flight (if any), so that after a crash the same ranges are re-sent with the same
 * deduplication token.
 */
export interface CheckpointState {
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
      return { shipped: parsed.shipped ?? {}, inflight: parsed.inflight ?? null };
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
