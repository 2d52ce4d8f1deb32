import type { ClickHouseClient } from "@clickhouse/client";
import { DATABASE } from "@sightline/config";
import type { Range } from "../checkpoint.ts";
import type { SpoolFolder } from "./spool-folder.ts";

/** How much of a dead line is kept: enough to see what it was, never a whole runaway line. */
export const DEAD_LINE_KEEP_BYTES = 256 * 1024;

export interface DeadLetterOptions {
  client: ClickHouseClient;
  spool: SpoolFolder;
  /** Called once per line stored. */
  onStored?: () => void;
  log?: ((message: string) => void) | undefined;
}

/** Stores lines ClickHouse refused, with the reason and where they sit, in sightline.dead_letter. */
export class DeadLetters {
  readonly #o: DeadLetterOptions;

  constructor(options: DeadLetterOptions) {
    this.#o = options;
  }

  async store(file: string, offset: number, line: Buffer, reason: string): Promise<void> {
    const text = line.subarray(0, DEAD_LINE_KEEP_BYTES).toString("utf8").replace(/\n$/, "");
    await this.#o.client.insert({
      table: `${DATABASE}.dead_letter`,
      values: [{ source: "shipper", file, offset, reason: reason.slice(0, 2000), line: text }],
      format: "JSONEachRow",
      clickhouse_settings: { async_insert: 0 },
    });
    this.#o.onStored?.();
    this.#o.log?.(`shipper: dead-lettered the line at ${file}:${offset}: ${reason.slice(0, 200)}`);
  }

  /** A line longer than a whole batch: its head is read from the file and stored. */
  async storeOverlong(range: Range, batchBytes: number): Promise<void> {
    const head = await this.#o.spool.read({
      file: range.file,
      start: range.start,
      end: range.start + Math.min(DEAD_LINE_KEEP_BYTES, range.end - range.start),
    });
    await this.store(
      range.file,
      range.start,
      head,
      `line of ${range.end - range.start} bytes is longer than shipper.batchBytes (${batchBytes}); its first ${head.length} bytes are kept`,
    );
  }
}
