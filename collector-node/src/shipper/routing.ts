import { BOT_LINE_MARKER } from "@sightline/edge";

/** The table a row goes to: bots are kept apart, so reports on people never scan them. */
export type Table = "events" | "bot_events";

/**
 * The bytes that a spool line holds exactly when its row is a bot's. They belong to the row
 * writer (`ndjsonLines` in edge/src/ndjson.ts), which writes every spool line and is
 * property-tested against them, so routing never depends on how the shipper spells a row.
 */
export const BOT_LINE_BYTES = Buffer.from(BOT_LINE_MARKER);

/**
 * True when a spool line holds a bot's row: edge's `isBotLine`, on bytes. The shipper works on
 * the spool's bytes, and decoding every line to text just to route it would cost more than the
 * search.
 */
export function isBotLineBytes(line: Buffer): boolean {
  return line.includes(BOT_LINE_BYTES);
}
