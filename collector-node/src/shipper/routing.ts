/** The table a row goes to: bots are kept apart, so reports on people never scan them. */
export type Table = "events" | "bot_events";

// JSON strings escape every quote, so this byte sequence can only be the is_bot key itself.
export const BOT_MARKER = Buffer.from('"is_bot":1');

/** True when a spool line is a bot's row. */
export function isBotLine(line: Buffer): boolean {
  return line.includes(BOT_MARKER);
}
