import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { Database, RootDatabase } from "lmdb";
import type { TokenScope } from "../auth/permissions.ts";

/** An API token of a user, as the user and the API see it (never its secret or hash). */
export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  /** The sites it reaches (its user's role on each still decides what it may do there). */
  sites: string[];
  scopes: TokenScope[];
  createdAt: string;
  expiresAt: string;
  /** Null until first used; moved on at most once a minute. */
  lastUsedAt: string | null;
}

interface StoredToken extends ApiToken {
  /** SHA-256 of the secret. */
  hash: string;
}

/** Tokens look like `slt_<id>.<secret>`: recognisable in a leaked file, and told from a JWT. */
export const TOKEN_PREFIX = "slt_";
/** How often `lastUsedAt` is written at most, so a busy script is not one LMDB write a request. */
const LAST_USED_EVERY_MS = 60_000;

const digest = (secret: string) => createHash("sha256").update(secret).digest("hex");

const view = ({ hash: _, ...token }: StoredToken): ApiToken => token;

export type VerifiedToken =
  | { status: "ok"; token: ApiToken }
  | { status: "invalid" }
  | { status: "expired"; token: ApiToken };

/** API tokens in LMDB (db `api-tokens`, id → record with the secret's SHA-256). */
export class TokenStore {
  readonly #root: RootDatabase;
  readonly #tokens: Database<StoredToken, string>;
  readonly #now: () => Date;

  constructor(root: RootDatabase, now: () => Date) {
    this.#root = root;
    this.#tokens = root.openDB<StoredToken, string>({ name: "api-tokens" });
    this.#now = now;
  }

  /** A new token and its secret (256 random bits), which only the caller ever sees. */
  create(
    input: Pick<ApiToken, "userId" | "name" | "sites" | "scopes">,
    ttlMs: number,
  ): { token: ApiToken; secret: string } {
    const now = this.#now();
    const secret = randomBytes(32).toString("base64url");
    const stored: StoredToken = {
      id: randomUUID(),
      userId: input.userId,
      name: input.name,
      sites: [...new Set(input.sites)],
      scopes: [...new Set(input.scopes)],
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
      lastUsedAt: null,
      hash: digest(secret),
    };
    this.#root.transactionSync(() => this.#tokens.putSync(stored.id, stored));
    return { token: view(stored), secret: `${TOKEN_PREFIX}${stored.id}.${secret}` };
  }

  /** The token a Bearer value names, if its secret matches; marks it used. */
  verify(bearer: string): VerifiedToken {
    if (!bearer.startsWith(TOKEN_PREFIX) || bearer.length > 200) return { status: "invalid" };
    const rest = bearer.slice(TOKEN_PREFIX.length);
    const dot = rest.indexOf(".");
    if (dot <= 0) return { status: "invalid" };
    const stored = this.#tokens.get(rest.slice(0, dot));
    if (!stored) return { status: "invalid" };
    const hash = digest(rest.slice(dot + 1));
    if (!timingSafeEqual(Buffer.from(hash), Buffer.from(stored.hash))) return { status: "invalid" };
    const now = this.#now();
    if (stored.expiresAt <= now.toISOString()) return { status: "expired", token: view(stored) };
    const last = stored.lastUsedAt ? Date.parse(stored.lastUsedAt) : 0;
    if (now.getTime() - last >= LAST_USED_EVERY_MS) {
      const used = { ...stored, lastUsedAt: now.toISOString() };
      // Best effort: a lost update of the last-used time is harmless, so no waiting on it.
      void this.#tokens.put(stored.id, used);
      return { status: "ok", token: view(used) };
    }
    return { status: "ok", token: view(stored) };
  }

  expired(token: ApiToken): boolean {
    return token.expiresAt <= this.#now().toISOString();
  }

  get(id: string): ApiToken | undefined {
    const stored = this.#tokens.get(id);
    return stored && view(stored);
  }

  /** A user's tokens (expired ones too, until revoked), newest first. */
  forUser(userId: string): ApiToken[] {
    const mine: ApiToken[] = [];
    for (const { value } of this.#tokens.getRange()) {
      if (value.userId === userId) mine.push(view(value));
    }
    return mine.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  revoke(id: string): boolean {
    return this.#root.transactionSync(() => this.#tokens.removeSync(id));
  }

  /** Every token of a user (deleted); returns how many. */
  removeUser(userId: string): number {
    return this.#root.transactionSync(() => {
      let removed = 0;
      for (const { key, value } of [...this.#tokens.getRange()]) {
        if (value.userId === userId && this.#tokens.removeSync(key)) removed += 1;
      }
      return removed;
    });
  }

  /** A site is being deleted: it leaves every token, and a token left with no site goes. */
  removeSite(site: string): void {
    this.#root.transactionSync(() => {
      for (const { key, value } of [...this.#tokens.getRange()]) {
        if (!value.sites.includes(site)) continue;
        const sites = value.sites.filter((s) => s !== site);
        if (sites.length) this.#tokens.putSync(key, { ...value, sites });
        else this.#tokens.removeSync(key);
      }
    });
  }
}
