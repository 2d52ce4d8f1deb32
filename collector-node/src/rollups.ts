import type { ClickHouseClient } from "@clickhouse/client";
import { checkStorage, type Mismatch, rebuildStorage } from "@sightline/config";

/**
 * What the built-in shipper and `sightline rollups` use of the derived tables (slots, sessions,
 * rollups; config/src/storage): they are computed from the raw events and merge or replace by
 * key, so writing them again from the source never changes what is already right. That makes
 * repair safe while the views and the materializer keep writing, and after a crash that left a
 * view behind its source.
 */
export interface HourRange {
  /** Inclusive, `YYYY-MM-DD HH:MM:SS` UTC. */
  from: string;
  /** Exclusive. */
  to: string;
  site?: string;
}

const ms = (text: string) => Date.parse(`${text.replace(" ", "T")}Z`);

const timeRange = (range: HourRange) => ({
  from: ms(range.from),
  to: ms(range.to),
  ...(range.site === undefined ? {} : { site: range.site }),
});

/**
 * Writes the range's slots again from sightline.events and bot_events. The materializer then
 * writes its sessions and rollups again (right away with `materialize`, else on its next pass).
 */
export async function rebuildRollups(
  client: ClickHouseClient,
  range: HourRange,
  options: { materialize?: boolean; log?: (line: string) => void } = {},
): Promise<void> {
  await rebuildStorage(client, timeRange(range), options);
}

export type RollupMismatch = Mismatch;

/** Where slots, rollups or sessions differ from the raw events; empty when all are in step. */
export function checkRollups(client: ClickHouseClient, range: HourRange): Promise<Mismatch[]> {
  return checkStorage(client, timeRange(range));
}

/** The whole hours around two `YYYY-MM-DD HH:MM:SS(.mmm)` UTC times, as a range. */
export function hoursAround(min: string, max: string): HourRange {
  const from = `${min.slice(0, 13)}:00:00`;
  const end = Date.parse(`${max.slice(0, 13).replace(" ", "T")}:00:00Z`) + 3_600_000;
  const to = new Date(end).toISOString().slice(0, 19).replace("T", " ");
  return { from, to };
}
