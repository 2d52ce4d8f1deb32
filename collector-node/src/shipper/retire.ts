import { pruneArchive, retireFile, type ShippedFilePolicy } from "../spool-files.ts";
import type { Progress } from "./progress.ts";
import type { SpoolFolder } from "./spool-folder.ts";

/** Archived files are looked at for expiry at most this often. */
const PRUNE_EVERY_MS = 60_000;

export interface RetireOptions {
  spool: SpoolFolder;
  progress: Progress;
  isSealed: (file: string) => boolean;
  policy: ShippedFilePolicy;
  archiveDir: string;
  archiveKeepMs: number;
  log?: ((message: string) => void) | undefined;
}

/**
 * Removes spool files that are fully shipped and no longer written (deleted, or moved to the
 * archive), forgets the offsets of files that are gone, and expires old archived files.
 */
export class Retirement {
  readonly #o: RetireOptions;
  #lastPruneAt = 0;

  constructor(options: RetireOptions) {
    this.#o = options;
  }

  /** Retires what can go; returns how many spool files went. */
  async run(): Promise<number> {
    const { spool, progress, policy } = this.#o;
    const present = new Set(await spool.files());
    const gone: string[] = [];
    let retired = 0;
    for (const [file, offset] of progress.shippedFiles()) {
      if (!present.has(file)) {
        gone.push(file);
        continue;
      }
      if (!this.#o.isSealed(file)) continue;
      if (offset >= (await spool.size(file))) {
        await retireFile(spool.dir, file, policy, this.#o.archiveDir);
        gone.push(file);
        retired++;
      }
    }
    progress.forget(gone);
    if (policy === "archive" && Date.now() - this.#lastPruneAt > PRUNE_EVERY_MS) {
      this.#lastPruneAt = Date.now();
      const removed = await pruneArchive(this.#o.archiveDir, this.#o.archiveKeepMs);
      if (removed > 0) this.#o.log?.(`shipper: removed ${removed} expired archived spool files`);
    }
    return retired;
  }
}
