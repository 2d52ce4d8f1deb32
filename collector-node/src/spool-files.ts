import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";

export type ShippedFilePolicy = "delete" | "archive";

/** Spool files in the order they were opened (names sort by open time). */
export async function listSpoolFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter((n) => n.endsWith(".ndjson")).sort();
}

/** Deletes a fully shipped file, or moves it into the archive folder (same file system: a rename). */
export async function retireFile(
  dir: string,
  file: string,
  policy: ShippedFilePolicy,
  archiveDir: string,
): Promise<void> {
  if (policy === "delete") {
    await rm(join(dir, file), { force: true });
    return;
  }
  await mkdir(archiveDir, { recursive: true });
  await rename(join(dir, file), join(archiveDir, file));
}

/** Removes archived files older than `keepMs`; returns how many went. */
export async function pruneArchive(archiveDir: string, keepMs: number, now = Date.now()) {
  let removed = 0;
  let names: string[];
  try {
    names = await readdir(archiveDir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.endsWith(".ndjson")) continue;
    const path = join(archiveDir, name);
    const info = await stat(path).catch(() => null);
    if (info && now - info.mtimeMs > keepMs) {
      await rm(path, { force: true });
      removed++;
    }
  }
  return removed;
}

export interface LineScan {
  /** Complete lines in the range. */
  lines: number;
  /** True when the range was read to its end and ends with a newline (no torn last line). */
  complete: boolean;
  /** The complete lines that contain the marker, copied out, with their file offsets. */
  marked: { start: number; end: number; data: Buffer }[];
}

const NEWLINE = 0x0a;
/** Scan buffer: small enough to stay in cache, reused across reads. */
const SCAN_CHUNK = 1 << 20;

/**
 * Counts the lines of a byte range and copies out those containing `marker`, reading it through
 * one small reused buffer. Reading a 64 MB file into fresh memory cost more than the scan itself:
 * every new page is a fault on our VMs.
 */
export async function scanLines(
  path: string,
  start: number,
  end: number,
  marker: Buffer,
): Promise<LineScan> {
  const handle = await open(path, "r");
  try {
    let buffer = Buffer.allocUnsafe(Math.max(1, Math.min(SCAN_CHUNK, end - start)));
    let at = start;
    let lines = 0;
    const marked: LineScan["marked"] = [];
    while (at < end) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - at), at);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      const whole = chunk.lastIndexOf(NEWLINE) + 1;
      if (whole === 0) {
        if (at + bytesRead >= end) break;
        // One line longer than the buffer: read it again into a bigger one.
        buffer = Buffer.allocUnsafe(buffer.length * 2);
        continue;
      }
      for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, i + 1)) lines++;
      for (let m = chunk.indexOf(marker); m >= 0 && m < whole; ) {
        const from = chunk.lastIndexOf(NEWLINE, m) + 1;
        const nl = chunk.indexOf(NEWLINE, m);
        marked.push({
          start: at + from,
          end: at + nl + 1,
          data: Buffer.from(chunk.subarray(from, nl + 1)),
        });
        m = chunk.indexOf(marker, nl + 1);
      }
      at += whole;
    }
    return { lines, complete: at === end, marked };
  } finally {
    await handle.close();
  }
}
