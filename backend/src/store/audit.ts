import { randomBytes } from "node:crypto";
import type { Database, RootDatabase } from "lmdb";

export type AuditValue = string | number | boolean | null | string[];

/** Who did what, to what. Never a password, a token or a hash (see `record`). */
export interface AuditEntry {
  /** Sorts by time: newest last. */
  id: string;
  at: string;
  /** Null: Sightline itself (start-up, settings). */
  actor: { id: string; email: string } | null;
  /** What happened, as `thing.verb`: `user.disabled`, `site.deleted`, `session.revoked`, … */
  action: string;
  target: { type: string; id: string; label?: string };
  /** The site it concerns, when one does. */
  site?: string;
  details: Record<string, AuditValue>;
}

export type AuditInput = Omit<AuditEntry, "id" | "at" | "details"> & {
  details?: Record<string, AuditValue>;
};

/** Keys that could hold a secret are never written, whatever a caller passes. */
const SECRET_KEY = /pass|token|secret|hash|cookie|authorization/i;

/**
 * The audit log in LMDB (db `audit`, id → entry). Ids are the time in ms (zero-padded) and a
 * random suffix, so a reverse range scan is newest first and a page boundary is just an id.
 */
export class AuditLog {
  readonly #root: RootDatabase;
  readonly #entries: Database<AuditEntry, string>;
  readonly #now: () => Date;

  constructor(root: RootDatabase, now: () => Date) {
    this.#root = root;
    this.#entries = root.openDB<AuditEntry, string>({ name: "audit" });
    this.#now = now;
  }

  /** Writes an entry; inside a caller's transaction when there is one, so both land or neither. */
  record(input: AuditInput): AuditEntry {
    const at = this.#now();
    const details = Object.fromEntries(
      Object.entries(input.details ?? {}).filter(([key]) => !SECRET_KEY.test(key)),
    );
    const entry: AuditEntry = {
      id: `${String(at.getTime()).padStart(15, "0")}-${randomBytes(6).toString("hex")}`,
      at: at.toISOString(),
      actor: input.actor,
      action: input.action,
      target: input.target,
      ...(input.site !== undefined ? { site: input.site } : {}),
      details,
    };
    this.#root.transactionSync(() => this.#entries.putSync(entry.id, entry));
    return entry;
  }

  /** Newest first, `limit` entries older than `before` (an id); `next` is the next page's. */
  page(limit: number, before?: string): { entries: AuditEntry[]; next: string | null } {
    const entries: AuditEntry[] = [];
    const range = this.#entries.getRange({
      reverse: true,
      ...(before !== undefined ? { start: before, exclusiveStart: true } : {}),
      limit: limit + 1,
    });
    for (const { value } of range) entries.push(value);
    const more = entries.length > limit;
    if (more) entries.length = limit;
    return { entries, next: more ? (entries.at(-1)?.id ?? null) : null };
  }
}
