import type { ClickHouseClient } from "@clickhouse/client";
import { DATABASE } from "@sightline/config";
import type { Range } from "../checkpoint.ts";
import { isDataError } from "../insert-errors.ts";
import { scanLines } from "../spool-files.ts";
import type { LineInserter } from "./line-insert.ts";
import { BOT_LINE_BYTES } from "./routing.ts";
import type { SpoolFolder } from "./spool-folder.ts";

/**
 * A ClickHouse string literal. Only for text we made (a spool path, a column list from
 * system.columns), never for client input: chDB runs every statement with bound parameters one
 * at a time, process-wide, so a bound path would make whole files take turns (docs/storage.md).
 */
export function sqlString(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/**
 * The engine parses the file once, for human traffic (bots go as bytes). One thread per
 * statement, no parallel parsing and no ReplacingMergeTree pass at insert time: the shipper runs
 * two files at once instead, and queries never rely on merges (docs/storage.md).
 */
export function wholeFileInsert(path: string, structure: string): string {
  return `INSERT INTO ${DATABASE}.events
    SETTINGS max_threads = 1, input_format_parallel_parsing = 0, optimize_on_insert = 0
    SELECT * FROM file(${sqlString(path)}, 'JSONEachRow', ${sqlString(structure)}) WHERE is_bot = 0`;
}

export interface FileInsertOptions {
  /** Reads the events columns (once). */
  client: ClickHouseClient;
  spool: SpoolFolder;
  /** The deduplication token of a set of ranges. */
  token: (ranges: readonly Range[]) => string;
  /** Sends the file's bot lines as bytes. */
  lines: LineInserter;
  /** Called just before the engine is asked to read a file. */
  onSend?: () => void;
  log?: ((message: string) => void) | undefined;
}

/** Rows a whole file delivered, by table. */
export interface FileShipped {
  humans: number;
  bots: number;
}

/**
 * The whole-file path (embedded mode): the engine reads a sealed spool file itself
 * (`INSERT … SELECT FROM file()`), about 4× faster than sending its bytes. Only bot lines pass
 * through Node, copied out by one scan of the file and sent as bytes to bot_events.
 */
export class FileInserter {
  readonly #o: FileInsertOptions;
  #structure: Promise<string> | null = null;

  constructor(options: FileInsertOptions) {
    this.#o = options;
  }

  /**
   * Ships a whole file on `client` and returns its rows; null when the engine cannot take it as a
   * whole (a torn last line, or lines it refuses as bad data): then it must go line by line.
   */
  async insert(range: Range, client: ClickHouseClient): Promise<FileShipped | null> {
    const path = this.#o.spool.path(range.file);
    // Only bot lines are copied out: the engine reads the file itself, so Node never holds it.
    const scan = await scanLines(path, range.start, range.end, BOT_LINE_BYTES);
    // A torn last line: the engine would refuse the file.
    if (!scan.complete) return null;
    const structure = await this.#columns();
    const bots = scan.marked.map((l) => ({ file: range.file, ...l }));
    this.#o.onSend?.();
    try {
      await client.command({
        query: wholeFileInsert(path, structure),
        clickhouse_settings: {
          insert_deduplication_token: this.#o.token([range]),
          insert_deduplicate: 1,
          async_insert: 0,
        },
      });
    } catch (error) {
      if (!isDataError(error)) throw error;
      // Bad lines in the file: the line path bisects them out into dead_letter.
      this.#o.log?.(`shipper: ${range.file} refused as a whole, shipping it line by line`);
      return null;
    }
    // Bots are rare, so their lines go as bytes (a second pass over the whole file for them
    // cost as much as the first).
    if (bots.length > 0) await this.#o.lines.send("bot_events", bots, client);
    return { humans: scan.lines - bots.length, bots: bots.length };
  }

  /** The events columns as a file() structure, so nothing is left to schema inference. */
  #columns(): Promise<string> {
    this.#structure ??= this.#o.client
      .query({
        query: `SELECT name, type FROM system.columns WHERE database = {db:String} AND table = 'events' ORDER BY position`,
        query_params: { db: DATABASE },
        format: "JSONEachRow",
      })
      .then((rs) => rs.json<{ name: string; type: string }>())
      // Parsing into plain strings and letting the insert convert them to LowCardinality costs
      // about a fifth less CPU than parsing into LowCardinality directly (docs/storage.md).
      .then((cols) =>
        cols
          .map((c) => `${c.name} ${c.type.replaceAll("LowCardinality(String)", "String")}`)
          .join(", "),
      )
      .catch((error) => {
        this.#structure = null;
        throw error;
      });
    return this.#structure;
  }
}
