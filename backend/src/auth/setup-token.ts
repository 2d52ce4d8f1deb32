import { randomBytes, timingSafeEqual } from "node:crypto";

/** The one-time token that lets the first visitor create the admin. Lives only in memory. */
export class SetupToken {
  #token: string | null = null;

  issue(): string {
    this.#token = randomBytes(24).toString("base64url");
    return this.#token;
  }

  /** True once for the right token; the token is gone afterwards. */
  consume(candidate: string): boolean {
    const token = this.#token;
    if (!token) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return false;
    this.#token = null;
    return true;
  }

  get active(): boolean {
    return this.#token !== null;
  }
}
