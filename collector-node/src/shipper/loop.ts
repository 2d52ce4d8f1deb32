/** The longest pause between retries while ClickHouse is away. */
export const MAX_BACKOFF_MS = 30_000;
/** The first pause after a failure; each further failure doubles it. */
export const FIRST_BACKOFF_MS = 500;

/**
 * One step of shipping. `force`: send a batch that is not full without waiting for it.
 * Returns 0 when it shipped (more may wait), ms to wait for a partial batch, or -1 when idle.
 */
export type ShipStep = (force: boolean) => Promise<number>;

export interface LoopOptions {
  /** How often the spool is looked at when nothing pokes the loop. */
  intervalMs: number;
  /** A step failed; the next try is in `retryInMs`. */
  onError?: (error: Error, retryInMs: number) => void;
}

/**
 * When the shipper works: steps back to back while there is something to ship, then every
 * `intervalMs` or sooner when poked; a partial batch's wait; after a failure, backoff from 0.5 s
 * doubling to 30 s, for as long as it takes. One step runs at a time.
 */
export class ShipLoop {
  readonly #step: ShipStep;
  readonly #o: LoopOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  /** Poked while a run was going: run again right after it instead of after the interval. */
  #pokedWhileRunning = false;
  /** A partial batch waits for its time: pokes only make it fuller, so they change nothing. */
  #waitingForBatch = false;
  #stopped = true;
  #halting = false;
  #backoffMs = 0;

  constructor(step: ShipStep, options: LoopOptions) {
    this.#step = step;
    this.#o = options;
  }

  /** True after stop(), until start() or drain(): work in hand finishes, nothing new starts. */
  get halting(): boolean {
    return this.#halting;
  }

  start(): void {
    this.#stopped = false;
    this.#halting = false;
    this.#schedule(0);
  }

  /** Something new to ship: run soon, unless backing off or a partial batch already waits. */
  poke(): void {
    if (this.#stopped || this.#backoffMs > 0) return;
    if (this.#running) this.#pokedWhileRunning = true;
    else if (!this.#waitingForBatch) this.#schedule(0);
  }

  /** Steps until one ships nothing, without waiting for batches to fill; throws what a step throws. */
  async drain(): Promise<void> {
    this.#halting = false;
    while ((await this.#step(true)) === 0) {}
  }

  /** No new run starts; resolves once the current one is over. */
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
      this.#waitingForBatch = false;
      this.#running = this.#run().finally(() => {
        this.#running = null;
      });
    }, delayMs);
  }

  async #run(): Promise<void> {
    let wait = -1;
    try {
      do wait = await this.#step(false);
      while (wait === 0 && !this.#stopped);
      this.#backoffMs = 0;
    } catch (error) {
      this.#backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(FIRST_BACKOFF_MS, this.#backoffMs * 2));
      this.#o.onError?.(error as Error, this.#backoffMs);
      this.#schedule(this.#backoffMs);
      return;
    }
    const delay = wait > 0 ? wait : this.#pokedWhileRunning ? 0 : this.#o.intervalMs;
    this.#pokedWhileRunning = false;
    this.#schedule(delay);
    this.#waitingForBatch = wait > 0;
  }
}
