/**
 * A small seeded PRNG (mulberry32): the same seed gives the same sequence on every machine, so
 * `pnpm demo --seed n` reproduces a dataset. Not for anything secret.
 */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A uniform unsigned 32-bit integer. */
  u32(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.u32() / 4_294_967_296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A uniform integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  /** Exponentially distributed, with the given mean. */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Lowercase hex digits, `digits` ≤ 8. */
  hex(digits: number): string {
    return (this.u32() >>> (32 - 4 * digits)).toString(16).padStart(digits, "0");
  }

  /** A version-4-shaped UUID, like the ids the tracker makes with crypto.randomUUID(). */
  uuid(): string {
    const variant = (8 + (this.u32() & 3)).toString(16);
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(4)}${this.hex(8)}`;
  }
}

/** Picks items in proportion to their weights in O(1) per pick (Walker's alias method). */
export class Weighted<T> {
  readonly items: readonly T[];
  readonly #prob: Float64Array;
  readonly #alias: Uint32Array;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    const n = entries.length;
    if (n === 0) throw new Error("Weighted needs at least one entry");
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    if (!(total > 0) || entries.some(([, w]) => !(w >= 0))) {
      throw new Error("Weighted needs non-negative weights with a positive sum");
    }
    this.items = entries.map(([item]) => item);
    this.#prob = new Float64Array(n);
    this.#alias = new Uint32Array(n);
    const scaled = entries.map(([, w]) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    for (const [i, p] of scaled.entries()) (p < 1 ? small : large).push(i);
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.#prob[s] = scaled[s]!;
      this.#alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) {
      this.#prob[i] = 1;
      this.#alias[i] = i;
    }
  }

  pick(rng: Random): T {
    const x = rng.next() * this.items.length;
    const i = Math.floor(x);
    return this.items[x - i < this.#prob[i]! ? i : this.#alias[i]!]!;
  }
}

/** Zipf-like popularity: the k-th item (from 0) weighs 1 / (k + 1)^s. */
export function zipf<T>(items: readonly T[], s = 1): Weighted<T> {
  return new Weighted(items.map((item, k) => [item, 1 / (k + 1) ** s] as const));
}
