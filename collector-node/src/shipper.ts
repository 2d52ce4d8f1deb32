import { randomBytes } from "node:crypto";
import { open, stat } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { ClickHouseClient } from "@clickhouse/client";
import { DATABASE } from "@sightline/config";
import { CheckpointFile, type CheckpointState, type Range } from "./checkpoint.ts";
import { isDataError } from "./insert-errors.ts";
import { hoursAround, rebuildRollups } from "./rollups.ts";
import {
  listSpoolFiles,
  pruneArchive,
  retireFile,
  type ShippedFilePolicy,
  scanLines,
} from "./spool-files.ts";

export interface ShipperOptions {
  spoolDir: string;
  /** Where the checkpoint file lives (default: inside the spool folder). */
  checkpointPath?: string;
  client: ClickHouseClient;
  batchRows: number;
  batchBytes: number;
  /** How often the spool is looked at when nothing pokes the shipper. */
  intervalMs: number;
  /** A batch smaller than batchRows/batchBytes waits at most this long after the last insert. */
  maxWaitMs?: number;
  /** False for the file a writer is still appending to. */
  isSealed: (file: string) => boolean;
  /**
   * Embedded mode only: let the engine read a whole sealed, unshipped spool file itself
   * (`INSERT … SELECT FROM file()`), about 4× faster than sending the bytes (docs/storage.md).
   */
  engineReadsFiles?: boolean;
  /**
   * Opens another session of the same engine. A session runs one statement at a time, so whole
   * files shipped side by side each need their own; without this they take turns on `client`.
   */
  openSession?: () => ClickHouseClient;
  /** Bisect batches ClickHouse refuses as bad data and store the bad lines in dead_letter (default true). */
  deadLetter?: boolean;
  /** What happens to a fully shipped sealed file (default delete). */
  shippedFiles?: ShippedFilePolicy;
  /** Where archived files go (default `<spoolDir>/archive`). */
  archiveDir?: string;
  /** Archived files older than this are removed (default 30 days). */
  archiveKeepMs?: number;
  log?: (message: string) => void;
}

export interface ShipperStats {
  shippedRows: number;
  botRows: number;
  batches: number;
  failures: number;
  deadLettered: number;
  retiredFiles: number;
  lastError: string | null;
  lastShippedAt: number | null;
}

/** One complete NDJSON line and where it sits in the spool. */
export interface SpoolLine {
  file: string;
  start: number;
  end: number;
  data: Buffer;
}

interface Batch {
  ranges: Range[];
  chunks: Buffer[];
  full: boolean;
}

const NEWLINE = 0x0a;
/** Lanes: whole spool files the engine parses at once, each on a session of its own (#deliverFiles). */
const FILES_AT_ONCE = 2;
/** Whole files taken per round (64 MB each by default), so stop() never waits long. */
const FILES_PER_ROUND = 8;
const MAX_BACKOFF_MS = 30_000;
const DEAD_LINE_KEEP_BYTES = 256 * 1024;
// JSON strings escape every quote, so this byte sequence can only be the is_bot key itself.
const BOT_MARKER = Buffer.from('"is_bot":1');
const TS_PATTERN = /"ts":"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/;

function tokenFor(spool: string, ranges: Range[]): string {
  return `${spool}/${ranges.map((r) => `${r.file}:${r.start}-${r.end}`).join(",")}`;
}

/** The byte ranges a run of lines covers, adjacent lines of one file merged. */
export function rangesOf(lines: readonly SpoolLine[]): Range[] {
  const out: Range[] = [];
  for (const line of lines) {
    const last = out.at(-1);
    if (last && last.file === line.file && last.end === line.start) last.end = line.end;
    else out.push({ file: line.file, start: line.start, end: line.end });
  }
  return out;
}

/** Splits a range's bytes into its complete lines. */
export function splitLines(range: Range, chunk: Buffer): SpoolLine[] {
  const lines: SpoolLine[] = [];
  let from = 0;
  for (;;) {
    const nl = chunk.indexOf(NEWLINE, from);
    if (nl < 0) break;
    lines.push({
      file: range.file,
      start: range.start + from,
      end: range.start + nl + 1,
      data: chunk.subarray(from, nl + 1),
    });
    from = nl + 1;
  }
  return lines;
}

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
function wholeFileInsert(path: string, structure: string): string {
  return `INSERT INTO ${DATABASE}.events
    SETTINGS max_threads = 1, input_format_parallel_parsing = 0, optimize_on_insert = 0
    SELECT * FROM file(${sqlString(path)}, 'JSONEachRow', ${sqlString(structure)}) WHERE is_bot = 0`;
}

/**
 * The built-in shipper: source spool, sink ClickHouse. It reads complete lines past the
 * checkpoint, records them as in flight, inserts them with a deduplication token derived from the
 * file byte ranges (human traffic into events, bots into bot_events), and moves the checkpoint
 * only after ClickHouse acknowledged. Lines ClickHouse refuses as bad data go to dead_letter with
 * the reason. Fully shipped sealed files are deleted or archived.
 */
export class Shipper {
  readonly #o: ShipperOptions;
  readonly #checkpoint: CheckpointFile;
  #state: CheckpointState;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  /** Set by stop(): lanes finish the files they hold but take no new one. */
  #halting = false;
  #stopped = true;
  #backoffMs = 0;
  #lastSendAt = 0;
  #waiting = false;
  #lastPruneAt = 0;
  /** The in-flight batch found at start-up came from a crash: repair rollups after resending it. */
  #recovering: boolean;
  /** Sessions for whole files shipped side by side: `client` first, more opened on demand. */
  readonly #sessions: ClickHouseClient[];
  readonly stats: ShipperStats = {
    shippedRows: 0,
    botRows: 0,
    batches: 0,
    failures: 0,
    deadLettered: 0,
    retiredFiles: 0,
    lastError: null,
    lastShippedAt: null,
  };

  constructor(options: ShipperOptions) {
    this.#o = options;
    this.#checkpoint = new CheckpointFile(
      options.checkpointPath ?? join(options.spoolDir, "shipper.checkpoint.json"),
    );
    this.#state = this.#checkpoint.read();
    if (!this.#state.id) {
      this.#state = { ...this.#state, id: randomBytes(8).toString("hex") };
      this.#checkpoint.write(this.#state);
    }
    this.#recovering = this.#state.inflight !== null;
    this.#sessions = [options.client];
  }

  #session(i: number): ClickHouseClient {
    if (!this.#o.openSession) return this.#o.client;
    while (this.#sessions.length <= i) this.#sessions.push(this.#o.openSession());
    return this.#sessions[i] ?? this.#o.client;
  }

  get #spoolId(): string {
    return this.#state.id ?? "";
  }

  get archiveDir(): string {
    return this.#o.archiveDir || join(this.#o.spoolDir, "archive");
  }

  start(): void {
    this.#stopped = false;
    this.#halting = false;
    this.#schedule(0);
  }

  /** Ship soon: new lines were written. */
  poke(): void {
    if (this.#stopped || this.#backoffMs > 0) return;
    if (this.#running) this.#again = true;
    // A partial batch already waits for its time: more lines only make it fuller.
    else if (!this.#waiting) this.#schedule(0);
  }

  /** Ships everything there is now, without waiting for batches to fill (tests and the CLI). */
  async drain(): Promise<void> {
    this.#halting = false;
    while ((await this.#shipOnce(true)) === 0) {}
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#halting = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#waiting = false;
      this.#running = this.#loop().finally(() => {
        this.#running = null;
      });
    }, delayMs);
  }

  async #loop(): Promise<void> {
    let wait = -1;
    try {
      // 0: shipped, more may wait; >0: a partial batch waits that long; -1: nothing to ship.
      do wait = await this.#shipOnce(false);
      while (wait === 0 && !this.#stopped);
      this.#backoffMs = 0;
    } catch (error) {
      this.stats.failures++;
      this.stats.lastError = (error as Error).message;
      this.#backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(500, this.#backoffMs * 2));
      this.#o.log?.(
        `shipper: delivery failed, retrying in ${this.#backoffMs} ms: ${(error as Error).message}`,
      );
      this.#schedule(this.#backoffMs);
      return;
    }
    const delay = wait > 0 ? wait : this.#again ? 0 : this.#o.intervalMs;
    this.#again = false;
    this.#schedule(delay);
    this.#waiting = wait > 0;
  }

  /** Ships one batch. Returns 0 when it shipped, ms to wait for a partial batch, or -1 if idle. */
  async #shipOnce(force: boolean): Promise<number> {
    const inflight = this.#state.inflight;
    if (inflight) {
      // A batch was sent before a crash or failure: resend exactly it, the same way, so its
      // tokens match.
      if (await this.#areWholeFiles(inflight)) await this.#deliverFiles(inflight, []);
      else
        await this.#deliver(inflight, await Promise.all(inflight.map((r) => this.#readRange(r))));
      this.#recovering = false;
      return 0;
    }
    const wholes = await this.#nextWholeFiles();
    if (wholes.length > 0) {
      await this.#deliverFiles([], wholes);
      await this.#retireShippedFiles();
      return 0;
    }
    const batch = await this.#nextBatch();
    if (batch.ranges.length > 0) {
      const waited = Date.now() - this.#lastSendAt;
      const maxWait = this.#o.maxWaitMs ?? 0;
      if (!force && !batch.full && waited < maxWait) return maxWait - waited;
      this.#state = { ...this.#state, inflight: batch.ranges };
      this.#checkpoint.write(this.#state);
      await this.#deliver(batch.ranges, batch.chunks);
    }
    await this.#retireShippedFiles();
    return batch.ranges.length > 0 ? 0 : -1;
  }

  /**
   * The first files with unshipped lines, in order, as long as the engine can take them whole.
   */
  async #nextWholeFiles(): Promise<Range[]> {
    const wholes: Range[] = [];
    if (!this.#o.engineReadsFiles) return wholes;
    for (const file of await listSpoolFiles(this.#o.spoolDir)) {
      const start = this.#state.shipped[file] ?? 0;
      const size = (await stat(join(this.#o.spoolDir, file))).size;
      if (size <= start) continue;
      const range = { file, start, end: size };
      if (!(await this.#isWholeFile(range))) break;
      wholes.push(range);
      if (wholes.length === FILES_PER_ROUND) break;
    }
    return wholes;
  }

  async #areWholeFiles(ranges: Range[]): Promise<boolean> {
    for (const range of ranges) if (!(await this.#isWholeFile(range))) return false;
    return ranges.length > 0;
  }

  /**
   * Ships whole files side by side, each lane on its own session: one insert parses on about one
   * core, so two lanes keep both of ours busy, and a lane takes the next file as soon as its last
   * one is acknowledged. `resend` is already in flight; each file of `next` is recorded in flight
   * just before its lane starts it. After a failure no lane starts another file, and the error is
   * reported once every lane has stopped.
   */
  async #deliverFiles(resend: Range[], next: Range[]): Promise<void> {
    const todo = [...resend];
    const queue = [...next];
    let failed = false;
    const lane = async (i: number) => {
      for (let range = todo.shift(); !failed; range = todo.shift()) {
        if (!range) {
          range = this.#halting ? undefined : queue.shift();
          if (!range) return;
          this.#state = { ...this.#state, inflight: [...(this.#state.inflight ?? []), range] };
          this.#checkpoint.write(this.#state);
        }
        try {
          await this.#deliverFile(range, this.#session(i));
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    const lanes = Array.from({ length: FILES_AT_ONCE }, (_, i) => lane(i));
    const failure = (await Promise.allSettled(lanes)).find((r) => r.status === "rejected");
    if (failure) throw failure.reason;
  }

  async #isWholeFile(range: Range): Promise<boolean> {
    if (!this.#o.engineReadsFiles || range.start !== 0) return false;
    if (!this.#o.isSealed(range.file)) return false;
    const size = await stat(join(this.#o.spoolDir, range.file)).then(
      (s) => s.size,
      () => -1,
    );
    // Up to twice a batch: a spool file (64 MB by default) is one statement.
    return size === range.end && size <= 2 * this.#o.batchBytes;
  }

  #structure: Promise<string> | null = null;

  /** The events columns as a file() structure, so nothing is left to schema inference. */
  #columns(): Promise<string> {
    this.#structure ??= this.#o.client
      .query({
        query: `SELECT name, type FROM system.columns WHERE database = {db:String} AND table = 'events' AND default_kind != 'MATERIALIZED' ORDER BY position`,
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

  async #deliverFile(range: Range, client: ClickHouseClient): Promise<void> {
    const path = join(this.#o.spoolDir, range.file);
    // Only bot lines are copied out: the engine reads the file itself, so Node never holds it.
    const scan = await scanLines(path, range.start, range.end, BOT_MARKER);
    if (!scan.complete) {
      // A torn last line: the engine would refuse the file, so ship its whole lines the usual way.
      await this.#deliver([range], [await this.#readRange(range)]);
      return;
    }
    const structure = await this.#columns();
    const bots = scan.marked.map((l) => ({ file: range.file, ...l }));
    this.#lastSendAt = Date.now();
    try {
      // Bots are rare, so their lines go as bytes (a second pass over the whole file for them
      // cost as much as the first).
      await client.command({
        query: wholeFileInsert(path, structure),
        clickhouse_settings: {
          insert_deduplication_token: tokenFor(this.#spoolId, [range]),
          insert_deduplicate: 1,
          async_insert: 0,
        },
      });
    } catch (error) {
      if (!isDataError(error)) throw error;
      // Bad lines in the file: the usual path bisects them out into dead_letter.
      this.#o.log?.(`shipper: ${range.file} refused as a whole, shipping it line by line`);
      await this.#deliver([range], [await this.#readRange(range)]);
      return;
    }
    if (bots.length > 0)
      await this.#send("bot_events", bots, tokenFor(this.#spoolId, rangesOf(bots)), client);
    if (this.#recovering) {
      // Reset by the caller: files shipped side by side each need their repair.
      const lines = splitLines(range, await this.#readRange(range));
      await this.#repairRollups(lines.filter((l) => !l.data.includes(BOT_MARKER)));
    }
    this.#ack([range], scan.lines - bots.length, bots.length);
  }

  #ack(ranges: Range[], humans: number, bots: number): void {
    const shipped = { ...this.#state.shipped };
    for (const r of ranges) shipped[r.file] = Math.max(shipped[r.file] ?? 0, r.end);
    // Files shipped side by side are acknowledged one by one; the others stay in flight.
    const left = (this.#state.inflight ?? []).filter(
      (f) => !ranges.some((r) => r.file === f.file && r.start === f.start),
    );
    this.#state = { ...this.#state, shipped, inflight: left.length > 0 ? left : null };
    this.#checkpoint.write(this.#state);
    this.stats.shippedRows += humans;
    this.stats.botRows += bots;
    this.stats.batches++;
    this.stats.lastShippedAt = Date.now();
  }

  async #deliver(ranges: Range[], raw: Buffer[]): Promise<void> {
    const humans: SpoolLine[] = [];
    const bots: SpoolLine[] = [];
    for (const [i, range] of ranges.entries()) {
      const chunk = raw[i];
      // One line longer than a batch: found by #nextBatch (no bytes read), or re-read after a crash.
      const overlong =
        range.end - range.start > this.#o.batchBytes &&
        (chunk === undefined || chunk.indexOf(NEWLINE) === chunk.length - 1);
      if (overlong) {
        await this.#deadLetterOverlong(range);
        continue;
      }
      for (const line of splitLines(range, chunk ?? Buffer.alloc(0))) {
        (line.data.includes(BOT_MARKER) ? bots : humans).push(line);
      }
    }
    this.#lastSendAt = Date.now();
    if (humans.length > 0)
      await this.#send("events", humans, tokenFor(this.#spoolId, rangesOf(humans)));
    if (bots.length > 0)
      await this.#send("bot_events", bots, tokenFor(this.#spoolId, rangesOf(bots)));
    if (this.#recovering) {
      // The crash may have come between the events write and its materialized view's write.
      await this.#repairRollups(humans);
    }
    this.#ack(ranges, humans.length, bots.length);
  }

  /** Inserts lines; on a bad-data error, bisects so only the bad lines go to dead_letter. */
  async #send(
    table: string,
    lines: SpoolLine[],
    token: string,
    client = this.#o.client,
  ): Promise<void> {
    try {
      await this.#insert(
        table,
        lines.length === 1 ? (lines[0]?.data ?? Buffer.alloc(0)) : concat(lines),
        token,
        client,
      );
    } catch (error) {
      if (this.#o.deadLetter === false || !isDataError(error)) throw error;
      if (lines.length === 1) {
        const line = lines[0] as SpoolLine;
        await this.#deadLetter(line.file, line.start, line.data, (error as Error).message);
        return;
      }
      const mid = lines.length >> 1;
      const left = lines.slice(0, mid);
      const right = lines.slice(mid);
      // Sub-batch tokens derive from their own ranges, so a resend after a crash bisects alike.
      await this.#send(table, left, tokenFor(this.#spoolId, rangesOf(left)), client);
      await this.#send(table, right, tokenFor(this.#spoolId, rangesOf(right)), client);
    }
  }

  async #insert(
    table: string,
    body: Buffer,
    token: string,
    client: ClickHouseClient,
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

  async #deadLetter(file: string, offset: number, line: Buffer, reason: string): Promise<void> {
    const text = line.subarray(0, DEAD_LINE_KEEP_BYTES).toString("utf8").replace(/\n$/, "");
    await this.#o.client.insert({
      table: `${DATABASE}.dead_letter`,
      values: [{ source: "shipper", file, offset, reason: reason.slice(0, 2000), line: text }],
      format: "JSONEachRow",
      clickhouse_settings: { async_insert: 0 },
    });
    this.stats.deadLettered++;
    this.#o.log?.(`shipper: dead-lettered the line at ${file}:${offset}: ${reason.slice(0, 200)}`);
  }

  async #deadLetterOverlong(range: Range): Promise<void> {
    const head = await this.#readRange({
      file: range.file,
      start: range.start,
      end: range.start + Math.min(DEAD_LINE_KEEP_BYTES, range.end - range.start),
    });
    await this.#deadLetter(
      range.file,
      range.start,
      head,
      `line of ${range.end - range.start} bytes is longer than shipper.batchBytes (${this.#o.batchBytes}); its first ${head.length} bytes are kept`,
    );
  }

  async #repairRollups(lines: SpoolLine[]): Promise<void> {
    let min = "";
    let max = "";
    for (const line of lines) {
      const ts = TS_PATTERN.exec(line.data.toString("utf8", 0, Math.min(line.data.length, 400)));
      if (!ts?.[1]) continue;
      if (!min || ts[1] < min) min = ts[1];
      if (!max || ts[1] > max) max = ts[1];
    }
    if (!min) return;
    await rebuildRollups(this.#o.client, hoursAround(min, max));
    this.#o.log?.(`shipper: re-checked rollups for ${min} .. ${max} after a restart mid-batch`);
  }

  async #nextBatch(): Promise<Batch> {
    const ranges: Range[] = [];
    const chunks: Buffer[] = [];
    let bytes = 0;
    let rows = 0;
    for (const file of await listSpoolFiles(this.#o.spoolDir)) {
      const start = this.#state.shipped[file] ?? 0;
      const size = (await stat(join(this.#o.spoolDir, file))).size;
      if (size <= start) continue;
      const budget = this.#o.batchBytes - bytes;
      const chunk = await this.#readRange({ file, start, end: Math.min(size, start + budget) });
      let end = chunk.lastIndexOf(NEWLINE) + 1;
      if (end === 0) {
        if (chunk.length < budget && this.#o.isSealed(file) && size === start + chunk.length) {
          // A sealed file ending in a torn line (a crash mid-write, never acknowledged): skip it.
          this.#o.log?.(`shipper: skipping ${chunk.length} bytes of a torn last line in ${file}`);
          ranges.push({ file, start, end: size });
          chunks.push(Buffer.alloc(0));
          continue;
        }
        if (chunk.length >= budget) {
          if (ranges.length > 0) return { ranges, chunks, full: true };
          // One line longer than a whole batch: find its end, and dead-letter it alone.
          const lineEnd = await this.#findLineEnd(file, start + chunk.length, size);
          if (lineEnd !== null)
            return { ranges: [{ file, start, end: lineEnd }], chunks: [], full: true };
        }
        continue;
      }
      let lines = 0;
      for (let i = chunk.indexOf(NEWLINE); i >= 0 && i < end; i = chunk.indexOf(NEWLINE, i + 1)) {
        if (++lines + rows >= this.#o.batchRows) {
          end = i + 1;
          break;
        }
      }
      ranges.push({ file, start, end: start + end });
      chunks.push(chunk.subarray(0, end));
      bytes += end;
      rows += lines;
      if (rows >= this.#o.batchRows || bytes >= this.#o.batchBytes) {
        return { ranges, chunks, full: true };
      }
    }
    return { ranges, chunks, full: false };
  }

  /** The offset just past the next newline at or after `from`, or null if the line is unfinished. */
  async #findLineEnd(file: string, from: number, size: number): Promise<number | null> {
    const step = 1 << 20;
    for (let at = from; at < size; at += step) {
      const chunk = await this.#readRange({ file, start: at, end: Math.min(size, at + step) });
      const nl = chunk.indexOf(NEWLINE);
      if (nl >= 0) return at + nl + 1;
    }
    return null;
  }

  async #readRange(range: Range): Promise<Buffer> {
    const handle = await open(join(this.#o.spoolDir, range.file), "r");
    try {
      // Filled by the reads below and cut to what was read, so no zero-fill is needed.
      const buffer = Buffer.allocUnsafe(range.end - range.start);
      let read = 0;
      while (read < buffer.length) {
        const { bytesRead } = await handle.read(
          buffer,
          read,
          buffer.length - read,
          range.start + read,
        );
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return buffer.subarray(0, read);
    } finally {
      await handle.close();
    }
  }

  async #retireShippedFiles(): Promise<void> {
    const present = new Set(await listSpoolFiles(this.#o.spoolDir));
    let changed = false;
    const shipped = { ...this.#state.shipped };
    const policy = this.#o.shippedFiles ?? "delete";
    for (const [file, offset] of Object.entries(shipped)) {
      if (!present.has(file)) {
        delete shipped[file];
        changed = true;
        continue;
      }
      if (!this.#o.isSealed(file)) continue;
      const size = (await stat(join(this.#o.spoolDir, file))).size;
      if (offset >= size) {
        await retireFile(this.#o.spoolDir, file, policy, this.archiveDir);
        delete shipped[file];
        changed = true;
        this.stats.retiredFiles++;
      }
    }
    if (changed) {
      this.#state = { ...this.#state, shipped };
      this.#checkpoint.write(this.#state);
    }
    if (policy === "archive" && Date.now() - this.#lastPruneAt > 60_000) {
      this.#lastPruneAt = Date.now();
      const removed = await pruneArchive(this.archiveDir, this.#o.archiveKeepMs ?? 30 * 86_400_000);
      if (removed > 0) this.#o.log?.(`shipper: removed ${removed} expired archived spool files`);
    }
  }

  /** Bytes in the spool not yet acknowledged by ClickHouse. */
  async lagBytes(): Promise<number> {
    let lag = 0;
    for (const file of await listSpoolFiles(this.#o.spoolDir)) {
      const size = (await stat(join(this.#o.spoolDir, file))).size;
      lag += Math.max(0, size - (this.#state.shipped[file] ?? 0));
    }
    return lag;
  }
}

function concat(lines: readonly SpoolLine[]): Buffer {
  return Buffer.concat(lines.map((l) => l.data));
}
