import type { Range } from "../checkpoint.ts";
import { NEWLINE } from "./lines.ts";
import type { SpoolFolder } from "./spool-folder.ts";

/** Whole spool files taken per round (64 MB each by default), so stop() never waits long. */
export const FILES_PER_ROUND = 8;

/** The next lines to ship and their bytes, one chunk per range. */
export interface LineBatch {
  ranges: Range[];
  /**
   * The bytes of each range, cut at its last whole line. Empty for a torn last line that is
   * skipped; missing (shorter than `ranges`) for a line longer than a whole batch, which is
   * dead-lettered from the file instead of read.
   */
  chunks: Buffer[];
  /** True when the batch reached batchRows or batchBytes: it goes now, without waiting. */
  full: boolean;
}

export interface BatchLimits {
  batchRows: number;
  batchBytes: number;
  /** False for the file a writer is still appending to. */
  isSealed: (file: string) => boolean;
  log?: ((message: string) => void) | undefined;
}

/**
 * Reads whole lines past the acknowledged offsets, across files in order, up to batchRows rows or
 * batchBytes bytes.
 */
export async function nextLineBatch(
  spool: SpoolFolder,
  shipped: (file: string) => number,
  limits: BatchLimits,
): Promise<LineBatch> {
  const ranges: Range[] = [];
  const chunks: Buffer[] = [];
  let bytes = 0;
  let rows = 0;
  for (const file of await spool.files()) {
    const start = shipped(file);
    const size = await spool.size(file);
    if (size <= start) continue;
    const budget = limits.batchBytes - bytes;
    const chunk = await spool.read({ file, start, end: Math.min(size, start + budget) });
    let end = chunk.lastIndexOf(NEWLINE) + 1;
    if (end === 0) {
      if (chunk.length < budget && limits.isSealed(file) && size === start + chunk.length) {
        // A sealed file ending in a torn line (a crash mid-write, never acknowledged): skip it.
        limits.log?.(`shipper: skipping ${chunk.length} bytes of a torn last line in ${file}`);
        ranges.push({ file, start, end: size });
        chunks.push(Buffer.alloc(0));
        continue;
      }
      if (chunk.length >= budget) {
        if (ranges.length > 0) return { ranges, chunks, full: true };
        // One line longer than a whole batch: find its end, and dead-letter it alone.
        const lineEnd = await spool.lineEnd(file, start + chunk.length, size);
        if (lineEnd !== null)
          return { ranges: [{ file, start, end: lineEnd }], chunks: [], full: true };
      }
      continue;
    }
    let lines = 0;
    for (let i = chunk.indexOf(NEWLINE); i >= 0 && i < end; i = chunk.indexOf(NEWLINE, i + 1)) {
      if (++lines + rows >= limits.batchRows) {
        end = i + 1;
        break;
      }
    }
    ranges.push({ file, start, end: start + end });
    chunks.push(chunk.subarray(0, end));
    bytes += end;
    rows += lines;
    if (rows >= limits.batchRows || bytes >= limits.batchBytes) {
      return { ranges, chunks, full: true };
    }
  }
  return { ranges, chunks, full: false };
}

/** Which ranges the engine may read itself, as whole files. */
export interface WholeFileRule {
  /** False in server mode: the engine cannot read our files there. */
  engineReadsFiles: boolean;
  /** The largest file taken whole (settings: 2 × shipper.batchBytes). */
  maxBytes: number;
  isSealed: (file: string) => boolean;
}

/**
 * True when a range is a whole sealed file the engine can read at once: it starts at 0, ends at
 * the file's end and the file is no larger than `rule.maxBytes`.
 */
export async function isWholeFile(
  spool: SpoolFolder,
  rule: WholeFileRule,
  range: Range,
): Promise<boolean> {
  if (!rule.engineReadsFiles || range.start !== 0) return false;
  if (!rule.isSealed(range.file)) return false;
  const size = await spool.sizeIfPresent(range.file);
  return size === range.end && size <= rule.maxBytes;
}

/** True when every range (at least one) is a whole file: an in-flight list is resent alike. */
export async function areWholeFiles(
  spool: SpoolFolder,
  rule: WholeFileRule,
  ranges: readonly Range[],
): Promise<boolean> {
  for (const range of ranges) if (!(await isWholeFile(spool, rule, range))) return false;
  return ranges.length > 0;
}

/** The first files with unshipped lines, in order, as long as the engine can take them whole. */
export async function nextWholeFiles(
  spool: SpoolFolder,
  shipped: (file: string) => number,
  rule: WholeFileRule,
): Promise<Range[]> {
  const wholes: Range[] = [];
  if (!rule.engineReadsFiles) return wholes;
  for (const file of await spool.files()) {
    const start = shipped(file);
    const size = await spool.size(file);
    if (size <= start) continue;
    const range = { file, start, end: size };
    if (!(await isWholeFile(spool, rule, range))) break;
    wholes.push(range);
    if (wholes.length === FILES_PER_ROUND) break;
  }
  return wholes;
}
