import type { ClickHouseClient } from "@clickhouse/client";
import { hoursAround, rebuildRollups } from "../rollups.ts";
import type { SpoolLine } from "./lines.ts";

const TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;

/** A line's event time (`ts`), or null for a line that is not a row with one. */
function eventTime(line: SpoolLine): string | null {
  let row: unknown;
  try {
    row = JSON.parse(line.data.toString("utf8"));
  } catch {
    return null;
  }
  const ts = (row as { ts?: unknown } | null)?.ts;
  return typeof ts === "string" && TIMESTAMP.test(ts) ? ts : null;
}

/**
 * The earliest and latest event times of some lines; null when none has one. Each line is parsed
 * (this runs once per crash, never per batch), so nothing depends on how a row is spelled.
 */
export function timeSpan(lines: readonly SpoolLine[]): { min: string; max: string } | null {
  let min = "";
  let max = "";
  for (const line of lines) {
    const ts = eventTime(line);
    if (ts === null) continue;
    if (!min || ts < min) min = ts;
    if (!max || ts > max) max = ts;
  }
  return min ? { min, max } : null;
}

/**
 * After a crash mid-batch the resent rows may have landed in events without their materialized
 * views' writes: re-inserts the rollup states of the hours those (human) lines touch. Rollups
 * merge idempotently, so this never counts anything twice.
 */
export async function repairRollups(
  client: ClickHouseClient,
  humans: readonly SpoolLine[],
  log?: (message: string) => void,
): Promise<void> {
  const span = timeSpan(humans);
  if (!span) return;
  await rebuildRollups(client, hoursAround(span.min, span.max));
  log?.(`shipper: re-checked rollups for ${span.min} .. ${span.max} after a restart mid-batch`);
}
