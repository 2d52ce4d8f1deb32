import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Database, RootDatabase } from "lmdb";
import type { SiteRole } from "../auth/permissions.ts";

/**
 * A one-time link: an invitation (creates an account with these roles) or a password reset (of
 * one user). The token is in the link only; LMDB keeps its SHA-256.
 */
export interface OneTimeLink {
  id: string;
  kind: "invitation" | "reset";
  email: string;
  /** Resets: whose password. */
  userId?: string;
  instanceAdmin: boolean;
  roles: Record<string, SiteRole>;
  createdAt: string;
  createdBy: { id: string; email: string };
  expiresAt: string;
}

const digest = (token: string) => createHash("sha256").update(token).digest("hex");

export type Redeemed<T> =
  | { status: "ok"; link: OneTimeLink; value: T }
  | { status: "invalid" }
  | { status: "expired"; link: OneTimeLink };

/** One-time links in LMDB: db `one-time-links`, SHA-256 of the token → link. */
export class LinkStore {
  readonly #root: RootDatabase;
  readonly #links: Database<OneTimeLink, string>;
  readonly #now: () => Date;

  constructor(root: RootDatabase, now: () => Date) {
    this.#root = root;
    this.#links = root.openDB<OneTimeLink, string>({ name: "one-time-links" });
    this.#now = now;
  }

  /**
   * A new link and its token (192 random bits). An earlier pending link of the same kind for
   * the same email is withdrawn: only the newest works.
   */
  create(
    input: Omit<OneTimeLink, "id" | "createdAt" | "expiresAt">,
    ttlMs: number,
  ): { link: OneTimeLink; token: string } {
    const token = randomBytes(24).toString("base64url");
    const now = this.#now();
    const link: OneTimeLink = {
      ...input,
      id: randomUUID(),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
    };
    this.#root.transactionSync(() => {
      for (const { key, value } of [...this.#links.getRange()]) {
        if (value.kind === link.kind && value.email === link.email) this.#links.removeSync(key);
      }
      this.#links.putSync(digest(token), link);
    });
    return { link, token };
  }

  /** The link a token opens, without using it up; expired links too (the caller says so). */
  find(token: string): OneTimeLink | undefined {
    if (token.length > 200) return undefined;
    return this.#links.get(digest(token));
  }

  /**
   * Uses the link up: `use(link)` runs in the same transaction as the removal, so a link is
   * redeemed at most once even by two requests at the same time; if `use` throws, nothing is
   * written and the link stays.
   */
  redeem<T>(token: string, kind: OneTimeLink["kind"], use: (link: OneTimeLink) => T): Redeemed<T> {
    if (token.length > 200) return { status: "invalid" };
    const key = digest(token);
    return this.#root.transactionSync((): Redeemed<T> => {
      const link = this.#links.get(key);
      if (!link || link.kind !== kind) return { status: "invalid" };
      if (link.expiresAt <= this.#now().toISOString()) return { status: "expired", link };
      const value = use(link);
      this.#links.removeSync(key);
      return { status: "ok", link, value };
    });
  }

  /** Pending links of a kind, newest first (expired ones are removed on the way). */
  list(kind: OneTimeLink["kind"]): OneTimeLink[] {
    const now = this.#now().toISOString();
    const live: OneTimeLink[] = [];
    const expired: string[] = [];
    for (const { key, value } of this.#links.getRange()) {
      if (value.expiresAt <= now) expired.push(key);
      else if (value.kind === kind) live.push(value);
    }
    if (expired.length) {
      this.#root.transactionSync(() => {
        for (const key of expired) this.#links.removeSync(key);
      });
    }
    return live.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  expired(link: OneTimeLink): boolean {
    return link.expiresAt <= this.#now().toISOString();
  }

  get(id: string): OneTimeLink | undefined {
    for (const { value } of this.#links.getRange()) if (value.id === id) return value;
    return undefined;
  }

  /** Withdraws a link by id; false when there is none. */
  revoke(id: string): boolean {
    return this.#root.transactionSync(() => {
      for (const { key, value } of [...this.#links.getRange()]) {
        if (value.id === id) return this.#links.removeSync(key);
      }
      return false;
    });
  }

  /** Withdraws every link of a user (deleted) or for an email. */
  revokeFor(who: { userId?: string; email?: string }): number {
    return this.#root.transactionSync(() => {
      let removed = 0;
      for (const { key, value } of [...this.#links.getRange()]) {
        const match =
          (who.userId !== undefined && value.userId === who.userId) ||
          (who.email !== undefined && value.email === who.email);
        if (match && this.#links.removeSync(key)) removed += 1;
      }
      return removed;
    });
  }

  /**
   * A site is being deleted: its roles go from every invitation, and an invitation left with
   * nothing to give (no role, not an instance admin) goes altogether.
   */
  removeSite(site: string): void {
    this.#root.transactionSync(() => {
      for (const { key, value } of [...this.#links.getRange()]) {
        if (!(site in value.roles)) continue;
        const { [site]: _, ...roles } = value.roles;
        if (value.kind === "invitation" && !value.instanceAdmin && !Object.keys(roles).length) {
          this.#links.removeSync(key);
        } else this.#links.putSync(key, { ...value, roles });
      }
    });
  }
}
