/**
 * Sign-in throttling, in memory (one process serves the API). Failures are counted under three
 * keys, and an attempt is refused (429 with Retry-After, before any password is hashed) while
 * any of its keys waits:
 *
 * - **account and address**: after 3 failures each further one doubles a delay (1 s, 2 s, 4 s,
 *   …); after 10 the pair is locked for 15 minutes. This is what stops one attacker guessing.
 * - **address**: after 20 failures (any accounts) the same doubling, locked after 50; stops one
 *   address from spraying many accounts.
 * - **account**: after 20 failures from any addresses, a doubling delay capped at one minute,
 *   never a lock, so a distributed guesser is slowed but cannot lock the owner out: the right
 *   password from another address still works while one address is locked.
 *
 * Unknown emails are counted exactly like known ones, so the answers never tell them apart. A
 * success clears the account's keys (not the address's, or a guesser with an account of their
 * own could reset it). Counts are forgotten 15 minutes after the last failure.
 */

interface Rule {
  /** Failures before delays start. */
  free: number;
  /** Failures after which the key is locked for LOCK_MS; Infinity: never. */
  lockAfter: number;
  /** The longest delay short of a lock. */
  maxDelayMs: number;
}

const MINUTE = 60_000;
const LOCK_MS = 15 * MINUTE;
const FORGET_MS = 15 * MINUTE;

export const RULES = {
  pair: { free: 3, lockAfter: 10, maxDelayMs: LOCK_MS },
  address: { free: 20, lockAfter: 50, maxDelayMs: LOCK_MS },
  account: { free: 20, lockAfter: Number.POSITIVE_INFINITY, maxDelayMs: MINUTE },
} as const satisfies Record<string, Rule>;

interface Entry {
  failures: number;
  lastFailure: number;
  /** No attempt under this key before this time (epoch ms). */
  waitUntil: number;
}

/** Entries kept at most; past it, forgotten ones are dropped, then the oldest. */
const MAX_ENTRIES = 100_000;

export class LoginThrottle {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  static keys(account: string, address: string): [string, Rule][] {
    const who = account.trim().toLowerCase();
    return [
      [`p|${who}|${address}`, RULES.pair],
      [`a|${address}`, RULES.address],
      [`u|${who}`, RULES.account],
    ];
  }

  /** Seconds to wait before this attempt may be made; 0 when it may go ahead. */
  wait(account: string, address: string): number {
    const now = this.#now();
    let until = 0;
    for (const [key] of LoginThrottle.keys(account, address)) {
      const entry = this.#live(key, now);
      if (entry) until = Math.max(until, entry.waitUntil);
    }
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  failed(account: string, address: string): void {
    const now = this.#now();
    for (const [key, rule] of LoginThrottle.keys(account, address)) {
      const entry = this.#live(key, now) ?? { failures: 0, lastFailure: now, waitUntil: 0 };
      entry.failures += 1;
      entry.lastFailure = now;
      const over = entry.failures - rule.free;
      if (entry.failures >= rule.lockAfter) entry.waitUntil = now + LOCK_MS;
      else if (over > 0) entry.waitUntil = now + Math.min(1000 * 2 ** (over - 1), rule.maxDelayMs);
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    this.#prune(now);
  }

  succeeded(account: string, address: string): void {
    const [pair, , user] = LoginThrottle.keys(account, address);
    if (pair) this.#entries.delete(pair[0]);
    if (user) this.#entries.delete(user[0]);
  }

  #live(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (now - entry.lastFailure > FORGET_MS && entry.waitUntil <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #prune(now: number): void {
    if (this.#entries.size <= MAX_ENTRIES) return;
    for (const key of [...this.#entries.keys()]) this.#live(key, now);
    // Still full (an attack from very many addresses): drop the oldest, in insertion order.
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= MAX_ENTRIES * 0.9) break;
      this.#entries.delete(key);
    }
  }
}
