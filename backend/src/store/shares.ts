import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { Database, RootDatabase } from "lmdb";

/** A read-only share link to one site's dashboard or one custom dashboard. */
export interface Share {
  id: string;
  kind: "site" | "dashboard";
  /** What it opens: a site id (`site`) or a dashboard id (`dashboard`). */
  target: string;
  name: string;
  /**
   * The sites it may show, fixed when it was made (by someone who may share each): a dashboard
   * that later shows another site is refused, not shown.
   */
  sites: string[];
  /** Origins that may frame it (`frame-ancestors`); empty: no one. */
  frameAncestors: string[];
  /** Null: never expires. */
  expiresAt: string | null;
  hasPassword: boolean;
  views: number;
  lastViewedAt: string | null;
  createdAt: string;
  createdBy: { id: string; email: string };
}

interface StoredShare extends Share {
  /** SHA-256 of the link's secret. */
  hash: string;
  /** The password's scrypt hash (src/auth/password.ts), when there is one. */
  passwordHash?: string;
}

const digest = (secret: string) => createHash("sha256").update(secret).digest("hex");
const view = ({ hash: _, passwordHash: __, ...share }: StoredShare): Share => share;

/** `<id>.<secret>`: the id finds the record, only the secret's hash is kept. */
function parse(token: string): { id: string; secret: string } | null {
  const dot = token.indexOf(".");
  if (dot <= 0 || dot === token.length - 1 || token.length > 200) return null;
  return { id: token.slice(0, dot), secret: token.slice(dot + 1) };
}

export type FoundShare =
  | { status: "ok"; share: Share; passwordHash?: string }
  | { status: "invalid" }
  | { status: "expired"; share: Share };

/** Share links in LMDB (db `shares`, id → record with the secret's SHA-256). */
export class ShareStore {
  readonly #root: RootDatabase;
  readonly #shares: Database<StoredShare, string>;
  readonly #now: () => Date;

  constructor(root: RootDatabase, now: () => Date) {
    this.#root = root;
    this.#shares = root.openDB<StoredShare, string>({ name: "shares" });
    this.#now = now;
  }

  /** A new link and its token (256 random bits), which only the caller ever sees. */
  create(
    input: Omit<Share, "id" | "views" | "lastViewedAt" | "createdAt" | "hasPassword" | "expiresAt">,
    /** Null: until revoked. */
    ttlMs: number | null,
    passwordHash: string | undefined,
  ): { share: Share; token: string } {
    const secret = randomBytes(32).toString("base64url");
    const now = this.#now();
    const stored: StoredShare = {
      ...input,
      id: randomUUID(),
      expiresAt: ttlMs === null ? null : new Date(now.getTime() + ttlMs).toISOString(),
      hasPassword: passwordHash !== undefined,
      views: 0,
      lastViewedAt: null,
      createdAt: now.toISOString(),
      hash: digest(secret),
      ...(passwordHash !== undefined ? { passwordHash } : {}),
    };
    this.#root.transactionSync(() => this.#shares.putSync(stored.id, stored));
    return { share: view(stored), token: `${stored.id}.${secret}` };
  }

  /** The link a token opens, with its password hash for the caller to check. */
  find(token: string): FoundShare {
    const parsed = parse(token);
    if (!parsed) return { status: "invalid" };
    const stored = this.#shares.get(parsed.id);
    if (!stored) return { status: "invalid" };
    const hash = digest(parsed.secret);
    if (!timingSafeEqual(Buffer.from(hash), Buffer.from(stored.hash))) return { status: "invalid" };
    if (this.expired(stored)) return { status: "expired", share: view(stored) };
    return {
      status: "ok",
      share: view(stored),
      ...(stored.passwordHash !== undefined ? { passwordHash: stored.passwordHash } : {}),
    };
  }

  expired(share: Share): boolean {
    return share.expiresAt !== null && share.expiresAt <= this.#now().toISOString();
  }

  /** The link, unless revoked or expired. */
  live(id: string): Share | undefined {
    const stored = this.#shares.get(id);
    return stored && !this.expired(stored) ? view(stored) : undefined;
  }

  get(id: string): Share | undefined {
    const stored = this.#shares.get(id);
    return stored && view(stored);
  }

  /** Counts one opening. */
  viewed(id: string): void {
    this.#root.transactionSync(() => {
      const stored = this.#shares.get(id);
      if (stored) {
        this.#shares.putSync(id, {
          ...stored,
          views: stored.views + 1,
          lastViewedAt: this.#now().toISOString(),
        });
      }
    });
  }

  /** Every link, newest first. */
  list(): Share[] {
    return [...this.#shares.getRange()]
      .map(({ value }) => view(value))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  revoke(id: string): boolean {
    return this.#root.transactionSync(() => this.#shares.removeSync(id));
  }

  /** A site is being deleted: every link that may show it goes. */
  removeSite(site: string): void {
    this.#root.transactionSync(() => {
      for (const { key, value } of [...this.#shares.getRange()]) {
        if (value.sites.includes(site)) this.#shares.removeSync(key);
      }
    });
  }
}
