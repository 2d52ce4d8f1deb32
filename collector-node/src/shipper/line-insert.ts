import { Readable } from "node:stream";
import type { ClickHouseClient } from "@clickhouse/client";
import { DATABASE } from "@sightline/config";
import type { Range } from "../checkpoint.ts";
import { isDataError } from "../insert-errors.ts";
import type { DeadLetters } from "./dead-letter.ts";
import { bodyOf, NEWLINE, rangesOf, type SpoolLine, splitLines } from "./lines.ts";
import { isBotLineBytes, type Table } from "./routing.ts";

export interface LineInsertOptions {
  /** The session inserts go through unless a caller names another. */
  client: ClickHouseClient;
  /** The deduplication token of a set of ranges. */
  token: (ranges: readonly Range[]) => string;
  batchBytes: number;
  /** Bisect batches refused as bad data and store the bad lines (false: the error is thrown). */
  deadLetter: boolean;
  deadLetters: DeadLetters;
  /** Called just before the first insert of a batch. */
  onSend?: () => void;
}

/** A batch as it was delivered: its lines by table. */
export interface LinesShipped {
  humans: SpoolLine[];
  bots: SpoolLine[];
}

/**
 * The line-batch path: a batch's lines are sent as JSONEachRow bytes, human traffic to events and
 * bots to bot_events, each insert with the token of the ranges it carries. A batch ClickHouse
 * refuses as bad data is bisected until only the bad lines are left; those go to dead_letter.
 */
export class LineInserter {
  readonly #o: LineInsertOptions;

  constructor(options: LineInsertOptions) {
    this.#o = options;
  }

  /**
   * Delivers a batch: `chunks[i]` holds the whole lines of `ranges[i]`. A range without a chunk,
   * or whose chunk is one line longer than a batch, is one overlong line: it is dead-lettered.
   */
  async ship(ranges: readonly Range[], chunks: readonly Buffer[]): Promise<LinesShipped> {
    const humans: SpoolLine[] = [];
    const bots: SpoolLine[] = [];
    for (const [i, range] of ranges.entries()) {
      const chunk = chunks[i];
      // One line longer than a batch: found by nextLineBatch (no bytes read), or re-read after a crash.
      const overlong =
        range.end - range.start > this.#o.batchBytes &&
        (chunk === undefined || chunk.indexOf(NEWLINE) === chunk.length - 1);
      if (overlong) {
        await this.#o.deadLetters.storeOverlong(range, this.#o.batchBytes);
        continue;
      }
      for (const line of splitLines(range, chunk ?? Buffer.alloc(0))) {
        (isBotLineBytes(line.data) ? bots : humans).push(line);
      }
    }
    this.#o.onSend?.();
    if (humans.length > 0) await this.send("events", humans);
    if (bots.length > 0) await this.send("bot_events", bots);
    return { humans, bots };
  }

  /** Inserts lines into a table; on a bad-data error, bisects so only the bad lines go to dead_letter. */
  async send(table: Table, lines: readonly SpoolLine[], client = this.#o.client): Promise<void> {
    try {
      await insertBytes(client, table, bodyOf(lines), this.#o.token(rangesOf(lines)));
    } catch (error) {
      if (!this.#o.deadLetter || !isDataError(error)) throw error;
      if (lines.length === 1) {
        const line = lines[0] as SpoolLine;
        await this.#o.deadLetters.store(line.file, line.start, line.data, (error as Error).message);
        return;
      }
      const mid = lines.length >> 1;
      // Halves take tokens of their own ranges, so a resend after a crash bisects alike.
      await this.send(table, lines.slice(0, mid), client);
      await this.send(table, lines.slice(mid), client);
    }
  }
}

/** One synchronous, deduplicated JSONEachRow insert. */
async function insertBytes(
  client: ClickHouseClient,
  table: Table,
  body: Buffer,
  token: string,
): Promise<void> {
  const result = await client.exec({
    query: `INSERT INTO ${DATABASE}.${table} FORMAT JSONEachRow`,
    values: Readable.from([body], { objectMode: false }),
    clickhouse_settings: {
      insert_deduplication_token: token,
      insert_deduplicate: 1,
      async_insert: 0,
    },
  });
  result.stream.resume();
}
