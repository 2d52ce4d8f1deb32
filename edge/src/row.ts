import type { z } from "zod";
import { COLUMNS, type ColumnName } from "./columns.ts";

/**
 * The one event row: an NDJSON line in the spool, and a row of the ClickHouse `events` table.
 * Its fields, their order and types come from the column table (columns.ts).
 */
export type EventRow = { [K in ColumnName]: z.infer<(typeof COLUMNS)[K]["check"]> };

/** Column order of the `events` table. */
export const EVENT_COLUMNS = Object.keys(COLUMNS) as readonly ColumnName[];

/** A row holding every column's empty value: where rows for tests, fixtures and tools start. */
export function emptyRow(): EventRow {
  const row: Record<string, unknown> = {};
  for (const name of EVENT_COLUMNS) {
    const value = COLUMNS[name].empty;
    row[name] = typeof value === "object" ? { ...value } : value;
  }
  return row as EventRow;
}

const DAY_MS = 86_400_000;
/** 10000-01-01: from there on `toISOString` writes six-digit years. */
const YEAR_10000_MS = 253_402_300_800_000;
let cachedDay = Number.NaN;
let cachedDate = "";

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

/**
 * ClickHouse's DateTime64(3) text form, always UTC. Every event needs two, and `toISOString`
 * costs ~1 µs: the date part is kept for the current day and the time is plain arithmetic.
 */
export function formatTimestamp(ms: number): string {
  const at = Math.trunc(ms); // as `new Date(ms)` does
  if (!(at >= 0 && at < YEAR_10000_MS)) {
    return new Date(ms).toISOString().replace("T", " ").slice(0, 23);
  }
  const day = Math.floor(at / DAY_MS);
  if (day !== cachedDay) {
    cachedDate = new Date(day * DAY_MS).toISOString().slice(0, 10);
    cachedDay = day;
  }
  let rest = at - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${cachedDate} ${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis, 3)}`;
}
