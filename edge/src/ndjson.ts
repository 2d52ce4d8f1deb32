import { COLUMNS } from "./columns.ts";
import { IRREGULAR, numberValue } from "./json-values.ts";
import { EVENT_COLUMNS, type EventRow } from "./row.ts";
import { emptyRuns, writeLine } from "./row-writer.generated.ts";

export { jsonString } from "./json-values.ts";

/**
 * Event rows as NDJSON text, the spool's format: one line per row holding exactly the columns of
 * the column table (columns.ts), in its order, byte for byte what `JSON.stringify` writes for the
 * row with its keys in that order. The line writer is generated from the table (ndjson-codegen.ts):
 * `JSON.stringify` spends ~100 ns per property, and the rows of one batch repeat most values
 * (site, page, geo, device), so runs of columns are written once and reused while they repeat.
 */

/**
 * Kept from call to call: consecutive requests repeat runs too (a page, a browser). Values are
 * compared with a copy of the last row, so any row may follow.
 */
const runs = emptyRuns();

/** The row with exactly the table's columns, in its order. */
function inColumnOrder(row: EventRow): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const name of EVENT_COLUMNS) ordered[name] = row[name];
  return ordered;
}

/** The rows as NDJSON: one line each, every line ending in "\n"; "" for no rows. */
export function ndjsonLines(rows: readonly EventRow[]): string {
  // One join copies every piece once into a flat string, ready to encode.
  const parts: string[] = [];
  for (const row of rows) {
    try {
      writeLine(row, runs, parts);
    } catch (error) {
      if (error !== IRREGULAR) throw error;
      // A value outside the row type (a test's or a caller's): what JSON.stringify makes of it.
      parts.push(JSON.stringify(inColumnOrder(row)), "\n");
    }
  }
  // A copy: the caller may change its row objects before the next call.
  if (runs.row) runs.row = { ...runs.row };
  return parts.join("");
}

/**
 * The text that a line holds exactly when its row is a bot's (`is_bot` = 1): the key and value as
 * the line writer spells them, and the comma before the next column. Routing by it needs no parse
 * of the line; ndjson.test.ts checks it against the writer for any row.
 */
function botMarker(): string {
  const at = EVENT_COLUMNS.indexOf("is_bot");
  if (at < 0 || at === EVENT_COLUMNS.length - 1 || COLUMNS.is_bot.clickhouse !== "UInt8") {
    throw new Error("the bot marker expects is_bot, a UInt8, before another column");
  }
  return `"is_bot":${numberValue(1)},"${EVENT_COLUMNS[at + 1]}":`;
}

export const BOT_LINE_MARKER_TEXT = botMarker();
/** BOT_LINE_MARKER_TEXT as UTF-8, for finding bot lines in spool bytes (`Buffer#includes`). */
export const BOT_LINE_MARKER: Uint8Array = new TextEncoder().encode(BOT_LINE_MARKER_TEXT);

/** Whether a line written by ndjsonLines holds a bot's row. */
export function isBotLine(line: string): boolean {
  return line.includes(BOT_LINE_MARKER_TEXT);
}
