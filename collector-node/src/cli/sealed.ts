import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { alive } from "./engine-lock.ts";

/** A file untouched this long is not being written to, whatever else is true. */
const QUIET_MS = 10_000;

function pidOf(file: string): number | null {
  const match = /^events-\d+-(\d+)-\d+\.ndjson$/.exec(file);
  return match?.[1] ? Number(match[1]) : null;
}

/**
 * For a shipper in its own process, which cannot ask the writer: a spool file is sealed once it
 * has been quiet for 10 s and either its writer opened a newer file, its writer is gone, or it is
 * older than twice the rotation age. Quietness comes first, so a line still being written is
 * never taken for a torn one.
 */
export function sealedBy(dir: string, maxFileAgeMs: number, now = Date.now) {
  return (file: string): boolean => {
    let mtime: number;
    try {
      mtime = statSync(join(dir, file)).mtimeMs;
    } catch {
      return true;
    }
    if (now() - mtime < QUIET_MS) return false;
    if (now() - mtime > 2 * maxFileAgeMs) return true;
    const pid = pidOf(file);
    if (pid === null || !alive(pid)) return true;
    return readdirSync(dir).some((other) => other > file && pidOf(other) === pid);
  };
}
