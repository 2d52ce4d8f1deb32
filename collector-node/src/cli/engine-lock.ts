import { readFileSync } from "node:fs";
import { join } from "node:path";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** On Linux, whether `pid` runs Node or ClickHouse (a reused pid of something else does not count). */
function engineLike(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return /node|clickhouse|chdb|tsx/i.test(cmdline);
  } catch {
    return true;
  }
}

/**
 * The process that holds the embedded ClickHouse folder, or null. The engine writes its pid into
 * `<dataDir>/clickhouse/status` while it holds the folder's lock, and removes the file on a clean
 * exit. Asking first means a second process never meets the engine's own lock error (which it
 * prints raw on stderr); a file left by a killed process names a pid that is gone.
 */
export function engineHolder(dataDir: string): number | null {
  let text: string;
  try {
    text = readFileSync(join(dataDir, "clickhouse", "status"), "utf8");
  } catch {
    return null;
  }
  const pid = Number(/^PID:\s*(\d+)/m.exec(text)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  return alive(pid) && engineLike(pid) ? pid : null;
}
