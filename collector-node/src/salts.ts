import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SaltStore } from "@sightline/edge";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Daily salts as files (`<dir>/YYYY-MM-DD`, mode 0600). Only today's and yesterday's are kept, so a
 * salt is gone at most 48 hours after its day began and older hashes cannot be recomputed.
 * Creation is exclusive, so processes sharing the folder agree on one salt per day.
 */
export class FileSaltStore implements SaltStore {
  readonly #dir: string;
  readonly #cache = new Map<string, string>();

  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  async saltFor(day: string): Promise<string> {
    const cached = this.#cache.get(day);
    if (cached) return cached;
    if (!DAY.test(day)) throw new Error(`not a day: ${day}`);
    const file = join(this.#dir, day);
    let salt: string;
    try {
      salt = randomBytes(32).toString("hex");
      writeFileSync(file, salt, { flag: "wx", mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      salt = readFileSync(file, "utf8").trim();
    }
    this.#cache.clear();
    this.#cache.set(day, salt);
    this.#prune(day);
    return salt;
  }

  #prune(today: string): void {
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    for (const name of readdirSync(this.#dir)) {
      if (DAY.test(name) && name < yesterday) rmSync(join(this.#dir, name), { force: true });
    }
  }
}
