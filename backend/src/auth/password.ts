import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";
import { errors } from "../errors.ts";

// scrypt is memory-hard and ships with Node: N=2^15, r=8 uses 32 MiB per hash.
const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export interface HasherOptions {
  /** Hashes running at once. Each holds a libuv thread (and 32 MiB) for ~50-100 ms. */
  concurrency?: number;
  /** Hashes waiting for a turn; past it, callers get a 503 at once. */
  queue?: number;
}

/**
 * Password hashing with bounded concurrency. scrypt runs on the libuv thread pool, which the
 * spool's writes and fsyncs also use: unbounded, a burst of logins would take every thread and
 * stall ingest. At most `concurrency` hashes run (default 2 of the pool's 4, or 8 under `pnpm
 * start`), at most `queue` wait, and anything beyond is refused (503 BUSY) without hashing.
 */
export class PasswordHasher {
  readonly #concurrency: number;
  readonly #queue: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  #decoy: Promise<string> | null = null;
  /** The most hashes that ever ran at once (for tests and benchmarks). */
  peak = 0;
  /** Hashes refused because the queue was full. */
  refused = 0;

  constructor(options: HasherOptions = {}) {
    this.#concurrency = options.concurrency ?? 2;
    this.#queue = options.queue ?? 32;
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await this.#run(() => derive(password, salt, PARAMS));
    return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString("base64")}$${key.toString("base64")}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, key] = stored.split("$");
    if (scheme !== "scrypt" || !salt || !key) return false;
    const expected = Buffer.from(key, "base64");
    const actual = await this.#run(() =>
      derive(password, Buffer.from(salt, "base64"), {
        N: Number(n),
        r: Number(r),
        p: Number(p),
        maxmem: PARAMS.maxmem,
      }),
    );
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /**
   * Checks against a real hash even when there is no user (`stored` undefined), so the time of
   * the answer does not tell which emails have accounts. Always false without a user.
   */
  async verifyOrDecoy(password: string, stored: string | undefined): Promise<boolean> {
    if (stored !== undefined) return this.verify(password, stored);
    this.#decoy ??= this.hash(randomBytes(16).toString("hex"));
    await this.verify(password, await this.#decoy);
    return false;
  }

  async #run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running < this.#concurrency) this.#running += 1;
    else if (this.#waiting.length >= this.#queue) {
      this.refused += 1;
      throw errors.hashingBusy();
    } else {
      // The finishing hash hands its slot over: `#running` stays as it is.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.peak = Math.max(this.peak, this.#running);
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }
}
