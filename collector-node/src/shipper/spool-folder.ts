import { open, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Range } from "../checkpoint.ts";
import { listSpoolFiles } from "../spool-files.ts";
import { NEWLINE } from "./lines.ts";

/** Reads the spool folder: its files in order, their sizes and byte ranges. Never writes. */
export class SpoolFolder {
  constructor(readonly dir: string) {}

  path(file: string): string {
    return join(this.dir, file);
  }

  /** Spool files in the order they were opened. */
  files(): Promise<string[]> {
    return listSpoolFiles(this.dir);
  }

  async size(file: string): Promise<number> {
    return (await stat(this.path(file))).size;
  }

  /** The file's size, or -1 when it is gone. */
  sizeIfPresent(file: string): Promise<number> {
    return this.size(file).catch(() => -1);
  }

  /** A range's bytes; fewer when the file ends before `range.end`. */
  async read(range: Range): Promise<Buffer> {
    const handle = await open(this.path(range.file), "r");
    try {
      // Filled by the reads below and cut to what was read, so no zero-fill is needed.
      const buffer = Buffer.allocUnsafe(range.end - range.start);
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

  /** The offset just past the next newline at or after `from`, or null if the line is unfinished. */
  async lineEnd(file: string, from: number, size: number): Promise<number | null> {
    const step = 1 << 20;
    for (let at = from; at < size; at += step) {
      const chunk = await this.read({ file, start: at, end: Math.min(size, at + step) });
      const nl = chunk.indexOf(NEWLINE);
      if (nl >= 0) return at + nl + 1;
    }
    return null;
  }
}
