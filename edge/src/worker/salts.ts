import { DurableObject } from "cloudflare:workers";
import type { SaltStore } from "../index.ts";
import type { Env } from "./env.ts";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
/** A salt lives 48 hours from the start of its UTC day, then it is deleted for good. */
export const SALT_LIFETIME_MS = 2 * DAY_MS;
const PREFIX = "salt:";

export function saltExpiresAt(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) + SALT_LIFETIME_MS;
}

function randomHex(bytes: number): string {
  let hex = "";
  for (const b of crypto.getRandomValues(new Uint8Array(bytes))) {
    hex += b.toString(16).padStart(2, "0");
  }
  return hex;
}

/**
 * One Durable Object (named `salts`) keeps the daily salts for every Worker instance. Its
 * storage is strongly consistent and its calls run one at a time, so two instances asking for a
 * new day at once still get the same salt. An alarm deletes each salt 48 h after its day began.
 */
export type SaltAnswer = { ok: true; salt: string } | { ok: false; error: string };

export class SaltKeeper extends DurableObject<Env> {
  /** The day's salt, created on first use. Refusals are answers, not exceptions, over RPC. */
  async saltFor(day: string): Promise<SaltAnswer> {
    if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
      return { ok: false, error: `not a day: ${day}` };
    }
    const now = Date.now();
    if (saltExpiresAt(day) <= now)
      return { ok: false, error: `the salt of ${day} has been deleted` };
    await this.#prune(now);
    const key = PREFIX + day;
    let salt = await this.ctx.storage.get<string>(key);
    if (salt === undefined) {
      salt = randomHex(32);
      await this.ctx.storage.put(key, salt);
    }
    await this.#schedule();
    return { ok: true, salt };
  }

  /** The days whose salts still exist (for operators and tests; never the salts themselves). */
  async days(): Promise<string[]> {
    const stored = await this.ctx.storage.list<string>({ prefix: PREFIX });
    return [...stored.keys()].map((key) => key.slice(PREFIX.length));
  }

  override async alarm(): Promise<void> {
    await this.#prune(Date.now());
    await this.#schedule();
  }

  async #prune(now: number): Promise<void> {
    const stored = await this.ctx.storage.list<string>({ prefix: PREFIX });
    const expired = [...stored.keys()].filter(
      (key) => saltExpiresAt(key.slice(PREFIX.length)) <= now,
    );
    if (expired.length > 0) await this.ctx.storage.delete(expired);
  }

  async #schedule(): Promise<void> {
    const days = await this.days();
    if (days.length === 0) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    const next = Math.min(...days.map(saltExpiresAt));
    if ((await this.ctx.storage.getAlarm()) !== next) await this.ctx.storage.setAlarm(next);
  }
}

/** The core's `SaltStore` over the `SaltKeeper` object, with the current day cached per isolate. */
export class DurableSaltStore implements SaltStore {
  readonly #namespace: DurableObjectNamespace<SaltKeeper>;
  #cached: { day: string; salt: string } | undefined;

  constructor(namespace: DurableObjectNamespace<SaltKeeper>) {
    this.#namespace = namespace;
  }

  async saltFor(day: string): Promise<string> {
    if (this.#cached?.day === day && saltExpiresAt(day) > Date.now()) return this.#cached.salt;
    const stub = this.#namespace.get(this.#namespace.idFromName("salts"));
    const answer = await stub.saltFor(day);
    if (!answer.ok) throw new Error(answer.error);
    this.#cached = { day, salt: answer.salt };
    return answer.salt;
  }
}
