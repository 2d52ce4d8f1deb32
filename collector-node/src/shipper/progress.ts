import { randomBytes } from "node:crypto";
import { CheckpointFile, type CheckpointState, type Range } from "../checkpoint.ts";
import { tokenFor } from "./lines.ts";

/**
 * What has been shipped, kept in the checkpoint file: per spool file the offset ClickHouse
 * acknowledged, and the ranges in flight. Every change is written (atomically) before the call
 * returns, so what the shipper does next is never ahead of what a restart would find.
 */
export class Progress {
  readonly #file: CheckpointFile;
  #state: CheckpointState;

  constructor(path: string) {
    this.#file = new CheckpointFile(path);
    this.#state = this.#file.read();
    if (!this.#state.id) this.#write({ ...this.#state, id: randomBytes(8).toString("hex") });
  }

  /** This spool's id: every token starts with it (spool file names are only unique per machine). */
  get spoolId(): string {
    return this.#state.id ?? "";
  }

  /** Ranges sent but not yet acknowledged: after a crash they are sent again, exactly. */
  get inflight(): readonly Range[] | null {
    return this.#state.inflight;
  }

  /** The offset up to which a file is acknowledged. */
  shipped(file: string): number {
    return this.#state.shipped[file] ?? 0;
  }

  /** The files with an acknowledged offset, and that offset. */
  shippedFiles(): [string, number][] {
    return Object.entries(this.#state.shipped);
  }

  /** The deduplication token of these ranges of this spool. */
  token(ranges: readonly Range[]): string {
    return tokenFor(this.spoolId, ranges);
  }

  /** Records a batch as in flight, before any of it is sent. */
  begin(ranges: readonly Range[]): void {
    this.#write({ ...this.#state, inflight: [...ranges] });
  }

  /** Adds one range to what is in flight (whole files start one by one, each on its lane). */
  add(range: Range): void {
    this.#write({ ...this.#state, inflight: [...(this.#state.inflight ?? []), range] });
  }

  /** ClickHouse acknowledged these ranges: their files' offsets move, and they leave the in-flight list. */
  ack(ranges: readonly Range[]): void {
    const shipped = { ...this.#state.shipped };
    for (const r of ranges) shipped[r.file] = Math.max(shipped[r.file] ?? 0, r.end);
    // Files shipped side by side are acknowledged one by one; the others stay in flight.
    const left = (this.#state.inflight ?? []).filter(
      (f) => !ranges.some((r) => r.file === f.file && r.start === f.start),
    );
    this.#write({ ...this.#state, shipped, inflight: left.length > 0 ? left : null });
  }

  /** Drops the offsets of files that are gone (retired, or removed by hand). */
  forget(files: readonly string[]): void {
    if (files.length === 0) return;
    const shipped = { ...this.#state.shipped };
    for (const file of files) delete shipped[file];
    this.#write({ ...this.#state, shipped });
  }

  #write(state: CheckpointState): void {
    this.#file.write(state);
    this.#state = state;
  }
}
