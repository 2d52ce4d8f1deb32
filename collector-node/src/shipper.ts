import { join } from "node:path";
import type { ClickHouseClient } from "@clickhouse/client";
import { wholeFileMaxBytes } from "@sightline/config";
import type { Range } from "./checkpoint.ts";
import { DeadLetters } from "./shipper/dead-letter.ts";
import { FileInserter } from "./shipper/file-insert.ts";
import { FILES_AT_ONCE, runLanes } from "./shipper/lanes.ts";
import { LineInserter } from "./shipper/line-insert.ts";
import { splitLines } from "./shipper/lines.ts";
import { ShipLoop } from "./shipper/loop.ts";
import {
  areWholeFiles,
  nextLineBatch,
  nextWholeFiles,
  type WholeFileRule,
} from "./shipper/pick.ts";
import { Progress } from "./shipper/progress.ts";
import { repairRollups } from "./shipper/repair.ts";
import { Retirement } from "./shipper/retire.ts";
import { isBotLineBytes } from "./shipper/routing.ts";
import { SpoolFolder } from "./shipper/spool-folder.ts";
import type { ShippedFilePolicy } from "./spool-files.ts";

export { sqlString } from "./shipper/file-insert.ts";
export { rangesOf, type SpoolLine, splitLines } from "./shipper/lines.ts";

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
   * Files up to 2 × batchBytes are taken whole; larger ones go line by line.
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

/**
 * The built-in shipper: source spool, sink ClickHouse. It reads complete lines past the
 * checkpoint, records them as in flight, inserts them with a deduplication token derived from the
 * file byte ranges (human traffic into events, bots into bot_events), and moves the checkpoint
 * only after ClickHouse acknowledged. Lines ClickHouse refuses as bad data go to dead_letter with
 * the reason. Fully shipped sealed files are deleted or archived.
 *
 * This class only decides what happens next; each part lives in `shipper/`: which lines or files
 * go next (pick.ts), the checkpoint (progress.ts), the line-batch path with its bisection
 * (line-insert.ts, dead-letter.ts), the whole-file path (file-insert.ts, lanes.ts), rollup repair
 * after a crash (repair.ts), retiring shipped files (retire.ts) and when to run (loop.ts).
 */
export class Shipper {
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
  readonly #o: ShipperOptions;
  readonly #spool: SpoolFolder;
  readonly #progress: Progress;
  readonly #wholeFiles: WholeFileRule;
  readonly #lines: LineInserter;
  readonly #files: FileInserter;
  readonly #retirement: Retirement;
  readonly #loop: ShipLoop;
  /** Sessions for whole files shipped side by side: `client` first, more opened on demand. */
  readonly #sessions: ClickHouseClient[];
  /** When the last insert was sent: a partial batch waits maxWaitMs from here. */
  #lastSendAt = 0;
  /**
   * The checkpoint named a batch in flight at start-up: a crash may have come between its events
   * write and its views' writes, so resending it also repairs the rollups (until a resend succeeds).
   */
  #repairOnResend: boolean;

  constructor(options: ShipperOptions) {
    this.#o = options;
    this.#spool = new SpoolFolder(options.spoolDir);
    this.#progress = new Progress(
      options.checkpointPath ?? join(options.spoolDir, "shipper.checkpoint.json"),
    );
    this.#repairOnResend = this.#progress.inflight !== null;
    this.#sessions = [options.client];
    this.#wholeFiles = {
      engineReadsFiles: options.engineReadsFiles === true,
      maxBytes: wholeFileMaxBytes(options.batchBytes),
      isSealed: options.isSealed,
    };
    const token = (ranges: readonly Range[]) => this.#progress.token(ranges);
    const onSend = () => {
      this.#lastSendAt = Date.now();
    };
    this.#lines = new LineInserter({
      client: options.client,
      token,
      batchBytes: options.batchBytes,
      deadLetter: options.deadLetter !== false,
      deadLetters: new DeadLetters({
        client: options.client,
        spool: this.#spool,
        onStored: () => {
          this.stats.deadLettered++;
        },
        log: options.log,
      }),
      onSend,
    });
    this.#files = new FileInserter({
      client: options.client,
      spool: this.#spool,
      token,
      lines: this.#lines,
      onSend,
      log: options.log,
    });
    this.#retirement = new Retirement({
      spool: this.#spool,
      progress: this.#progress,
      isSealed: options.isSealed,
      policy: options.shippedFiles ?? "delete",
      archiveDir: this.archiveDir,
      archiveKeepMs: options.archiveKeepMs ?? 30 * 86_400_000,
      log: options.log,
    });
    this.#loop = new ShipLoop((force) => this.#shipOnce(force), {
      intervalMs: options.intervalMs,
      onError: (error, retryInMs) => {
        this.stats.failures++;
        this.stats.lastError = error.message;
        options.log?.(`shipper: delivery failed, retrying in ${retryInMs} ms: ${error.message}`);
      },
    });
  }

  get archiveDir(): string {
    return this.#o.archiveDir || join(this.#o.spoolDir, "archive");
  }

  start(): void {
    this.#loop.start();
  }

  /** Ship soon: new lines were written. */
  poke(): void {
    this.#loop.poke();
  }

  /** Ships everything there is now, without waiting for batches to fill (tests and the CLI). */
  drain(): Promise<void> {
    return this.#loop.drain();
  }

  /** Finishes the work in hand (whole files already started included), then stops. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Bytes in the spool not yet acknowledged by ClickHouse. */
  async lagBytes(): Promise<number> {
    let lag = 0;
    for (const file of await this.#spool.files()) {
      lag += Math.max(0, (await this.#spool.size(file)) - this.#progress.shipped(file));
    }
    return lag;
  }

  /** Ships one batch. Returns 0 when it shipped, ms to wait for a partial batch, or -1 if idle. */
  async #shipOnce(force: boolean): Promise<number> {
    const inflight = this.#progress.inflight;
    if (inflight) {
      // Sent before a crash or failure: resend exactly it, the same way, so its tokens match.
      const repair = this.#repairOnResend;
      if (await areWholeFiles(this.#spool, this.#wholeFiles, inflight))
        await this.#shipFiles(inflight, [], repair);
      else
        await this.#shipLines(
          inflight,
          await Promise.all(inflight.map((r) => this.#spool.read(r))),
          repair,
        );
      this.#repairOnResend = false;
      return 0;
    }
    const shipped = (file: string) => this.#progress.shipped(file);
    const wholes = await nextWholeFiles(this.#spool, shipped, this.#wholeFiles);
    if (wholes.length > 0) {
      await this.#shipFiles([], wholes, false);
      await this.#retire();
      return 0;
    }
    const batch = await nextLineBatch(this.#spool, shipped, {
      batchRows: this.#o.batchRows,
      batchBytes: this.#o.batchBytes,
      isSealed: this.#o.isSealed,
      log: this.#o.log,
    });
    if (batch.ranges.length > 0) {
      const waited = Date.now() - this.#lastSendAt;
      const maxWait = this.#o.maxWaitMs ?? 0;
      if (!force && !batch.full && waited < maxWait) return maxWait - waited;
      this.#progress.begin(batch.ranges);
      await this.#shipLines(batch.ranges, batch.chunks, false);
    }
    await this.#retire();
    return batch.ranges.length > 0 ? 0 : -1;
  }

  /** The line-batch path for ranges already recorded in flight; acknowledges them. */
  async #shipLines(ranges: readonly Range[], chunks: readonly Buffer[], repair: boolean) {
    const { humans, bots } = await this.#lines.ship(ranges, chunks);
    // The crash may have come between the events write and its materialized views' writes.
    if (repair) await repairRollups(this.#o.client, humans, this.#o.log);
    this.#acknowledge(ranges, humans.length, bots.length);
  }

  /** Whole files side by side: `resend` is in flight already, `next` is recorded file by file. */
  async #shipFiles(resend: readonly Range[], next: readonly Range[], repair: boolean) {
    await runLanes(resend, next, {
      lanes: FILES_AT_ONCE,
      halted: () => this.#loop.halting,
      begin: (range) => this.#progress.add(range),
      ship: (range, lane) => this.#shipFile(range, this.#session(lane), repair),
    });
  }

  async #shipFile(range: Range, client: ClickHouseClient, repair: boolean): Promise<void> {
    const shipped = await this.#files.insert(range, client);
    // A torn last line or bad data: the line path takes the file (and bisects bad lines out).
    if (!shipped) return this.#shipLines([range], [await this.#spool.read(range)], repair);
    if (repair) {
      // Each file resent side by side repairs the hours its own human lines touch.
      const lines = splitLines(range, await this.#spool.read(range));
      await repairRollups(
        this.#o.client,
        lines.filter((l) => !isBotLineBytes(l.data)),
        this.#o.log,
      );
    }
    this.#acknowledge([range], shipped.humans, shipped.bots);
  }

  #acknowledge(ranges: readonly Range[], humans: number, bots: number): void {
    this.#progress.ack(ranges);
    this.stats.shippedRows += humans;
    this.stats.botRows += bots;
    this.stats.batches++;
    this.stats.lastShippedAt = Date.now();
  }

  async #retire(): Promise<void> {
    this.stats.retiredFiles += await this.#retirement.run();
  }

  #session(lane: number): ClickHouseClient {
    if (!this.#o.openSession) return this.#o.client;
    while (this.#sessions.length <= lane) this.#sessions.push(this.#o.openSession());
    return this.#sessions[lane] ?? this.#o.client;
  }
}
