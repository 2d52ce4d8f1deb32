/**
 * In-memory token buckets: `rate` tokens per second up to `burst`. A key that has been full for
 * a while is forgotten, so memory stays bounded by the number of recently active keys.
 */
export class TokenBuckets {
  readonly #rate: number;
  readonly #burst: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  #sweptAt = 0;

  constructor(ratePerSecond: number, burst: number) {
    this.#rate = ratePerSecond;
    this.#burst = burst;
  }

  get enabled(): boolean {
    return this.#rate > 0;
  }

  /** Takes `cost` tokens; returns 0 when allowed, else the seconds until they would be there. */
  take(key: string, cost = 1, now = Date.now()): number {
    if (this.#rate <= 0) return 0;
    this.#sweep(now);
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, at: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#rate);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return 0;
    }
    return Math.max(1, Math.ceil((Math.min(cost, this.#burst) - bucket.tokens) / this.#rate));
  }

  #sweep(now: number): void {
    const fullAfterMs = (this.#burst / this.#rate) * 1000;
    if (now - this.#sweptAt < Math.max(10_000, fullAfterMs)) return;
    this.#sweptAt = now;
    for (const [key, bucket] of this.#buckets) {
      if (now - bucket.at >= fullAfterMs) this.#buckets.delete(key);
    }
  }

  get size(): number {
    return this.#buckets.size;
  }
}
