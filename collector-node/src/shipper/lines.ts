import type { Range } from "../checkpoint.ts";

export const NEWLINE = 0x0a;

/** One complete NDJSON line and where it sits in the spool. */
export interface SpoolLine {
  file: string;
  start: number;
  end: number;
  data: Buffer;
}

/** Splits a range's bytes into its complete lines; bytes after the last newline are left out. */
export function splitLines(range: Range, chunk: Buffer): SpoolLine[] {
  const lines: SpoolLine[] = [];
  let from = 0;
  for (;;) {
    const nl = chunk.indexOf(NEWLINE, from);
    if (nl < 0) break;
    lines.push({
      file: range.file,
      start: range.start + from,
      end: range.start + nl + 1,
      data: chunk.subarray(from, nl + 1),
    });
    from = nl + 1;
  }
  return lines;
}

/** The byte ranges a run of lines covers, adjacent lines of one file merged. */
export function rangesOf(lines: readonly SpoolLine[]): Range[] {
  const out: Range[] = [];
  for (const line of lines) {
    const last = out.at(-1);
    if (last && last.file === line.file && last.end === line.start) last.end = line.end;
    else out.push({ file: line.file, start: line.start, end: line.end });
  }
  return out;
}

/**
 * The deduplication token of an insert: the spool's id and the byte ranges it carries. The same
 * ranges always give the same token, so a resend after a crash is dropped where it had landed.
 */
export function tokenFor(spoolId: string, ranges: readonly Range[]): string {
  return `${spoolId}/${ranges.map((r) => `${r.file}:${r.start}-${r.end}`).join(",")}`;
}

/** The lines' bytes as one insert body. */
export function bodyOf(lines: readonly SpoolLine[]): Buffer {
  return lines.length === 1
    ? (lines[0]?.data ?? Buffer.alloc(0))
    : Buffer.concat(lines.map((l) => l.data));
}
