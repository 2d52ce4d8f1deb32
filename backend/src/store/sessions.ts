import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { Database, RootDatabase } from "lmdb";

/** A signed-in session: one sign-in on one device, kept alive by rotating refresh tokens. */
export interface Session {
  id: string;
  userId: string;
  createdAt: string;
  /** The last sign-in or refresh (so to within an access token's lifetime). */
  lastUsedAt: string;
  /** Unused until then, the session ends; every refresh moves it on. */
  expiresAt: string;
  /** "Firefox on Linux": a summary, never the whole header. */
  userAgent: string;
}

interface StoredSession extends Session {
  /** SHA-256 of the current refresh token's secret. */
  refreshHash: string;
  /** Hashes of earlier, rotated secrets (the latest ROTATED_KEPT): presenting one is reuse. */
  rotated: string[];
}

const ROTATED_KEPT = 50;

export type RotateResult =
  | { status: "ok"; session: Session; refreshToken: string }
  | { status: "invalid" }
  | { status: "reused"; session: Session };

const digest = (secret: string) => createHash("sha256").update(secret).digest("hex");

const view = (s: StoredSession): Session => ({
  id: s.id,
  userId: s.userId,
  createdAt: s.createdAt,
  lastUsedAt: s.lastUsedAt,
  expiresAt: s.expiresAt,
  userAgent: s.userAgent,
});

/** `<session id>.<secret>`: the id finds the session, only the secret's hash is stored. */
function parse(token: string): { id: string; secret: string } | null {
  const dot = token.indexOf(".");
  if (dot <= 0 || dot === token.length - 1 || token.length > 200) return null;
  return { id: token.slice(0, dot), secret: token.slice(dot + 1) };
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Sessions in LMDB (db `sessions`, id → record). Refresh tokens are opaque and rotate on every
 * use; a token that was already rotated away is a sign it was stolen (either the thief or the
 * owner used it first), so presenting it ends the whole session (reuse detection).
 */
export class SessionStore {
  readonly #root: RootDatabase;
  readonly #sessions: Database<StoredSession, string>;
  readonly #now: () => Date;

  constructor(root: RootDatabase, now: () => Date) {
    this.#root = root;
    this.#sessions = root.openDB<StoredSession, string>({ name: "sessions" });
    this.#now = now;
  }

  create(
    userId: string,
    userAgent: string,
    ttlMs: number,
  ): { session: Session; refreshToken: string } {
    const now = this.#now();
    const secret = randomBytes(32).toString("base64url");
    const session: StoredSession = {
      id: randomUUID(),
      userId,
      createdAt: now.toISOString(),
      lastUsedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
      userAgent,
      refreshHash: digest(secret),
      rotated: [],
    };
    this.#root.transactionSync(() => this.#sessions.putSync(session.id, session));
    return { session: view(session), refreshToken: `${session.id}.${secret}` };
  }

  /** The session, unless it has ended (revoked or expired). */
  get(id: string): Session | undefined {
    const stored = this.#sessions.get(id);
    if (!stored || stored.expiresAt <= this.#now().toISOString()) return undefined;
    return view(stored);
  }

  /** Swaps a refresh token for a new one; the old one is remembered as rotated. */
  rotate(token: string, ttlMs: number): RotateResult {
    const parsed = parse(token);
    if (!parsed) return { status: "invalid" };
    return this.#root.transactionSync((): RotateResult => {
      const stored = this.#sessions.get(parsed.id);
      const now = this.#now();
      if (!stored || stored.expiresAt <= now.toISOString()) return { status: "invalid" };
      const hash = digest(parsed.secret);
      if (stored.rotated.some((old) => sameHash(old, hash))) {
        this.#sessions.removeSync(stored.id);
        return { status: "reused", session: view(stored) };
      }
      if (!sameHash(stored.refreshHash, hash)) return { status: "invalid" };
      const secret = randomBytes(32).toString("base64url");
      const next: StoredSession = {
        ...stored,
        lastUsedAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
        refreshHash: digest(secret),
        rotated: [...stored.rotated, stored.refreshHash].slice(-ROTATED_KEPT),
      };
      this.#sessions.putSync(stored.id, next);
      return { status: "ok", session: view(next), refreshToken: `${stored.id}.${secret}` };
    });
  }

  /** The user's live sessions, most recently used first; ended ones are removed on the way. */
  forUser(userId: string): Session[] {
    const now = this.#now().toISOString();
    const live: Session[] = [];
    const ended: string[] = [];
    for (const { value } of this.#sessions.getRange()) {
      if (value.userId !== userId) continue;
      if (value.expiresAt <= now) ended.push(value.id);
      else live.push(view(value));
    }
    if (ended.length) {
      this.#root.transactionSync(() => {
        for (const id of ended) this.#sessions.removeSync(id);
      });
    }
    return live.sort((a, b) => b.lastUsedAt.localeCompare(a.lastUsedAt));
  }

  revoke(id: string): boolean {
    return this.#root.transactionSync(() => this.#sessions.removeSync(id));
  }

  /** Ends every session of the user but `except`; returns how many ended. */
  revokeUser(userId: string, except?: string): number {
    return this.#root.transactionSync(() => {
      let ended = 0;
      for (const { key, value } of [...this.#sessions.getRange()]) {
        if (value.userId !== userId || key === except) continue;
        this.#sessions.removeSync(key);
        ended += 1;
      }
      return ended;
    });
  }
}

/** "Firefox on Linux" from a User-Agent header: enough to recognise a device, no more. */
export function summarizeUserAgent(header: string | undefined): string {
  const ua = header ?? "";
  const browser = /\bEdg\//.test(ua)
    ? "Edge"
    : /\bOPR\//.test(ua)
      ? "Opera"
      : /\bFirefox\//.test(ua)
        ? "Firefox"
        : /\bChrom(e|ium)\//.test(ua)
          ? "Chrome"
          : /\bSafari\//.test(ua)
            ? "Safari"
            : /^curl\//.test(ua)
              ? "curl"
              : ua
                ? "another client"
                : "an unknown client";
  const os = /\b(iPhone|iPad|iPod)\b/.test(ua)
    ? "iOS"
    : /\bAndroid\b/.test(ua)
      ? "Android"
      : /\bWindows\b/.test(ua)
        ? "Windows"
        : /\bMac OS X\b|\bMacintosh\b/.test(ua)
          ? "macOS"
          : /\bCrOS\b/.test(ua)
            ? "ChromeOS"
            : /\bLinux\b/.test(ua)
              ? "Linux"
              : "";
  return os ? `${browser} on ${os}` : browser;
}
