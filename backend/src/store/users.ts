import { randomUUID } from "node:crypto";
import type { Database, RootDatabase } from "lmdb";
import { SITE_ROLES, type SiteRole } from "../auth/permissions.ts";

/** The layout of stored user records; bump it with a new step in `migrateStored` when it changes. */
export const USER_SCHEMA = 2;

export interface User {
  id: string;
  /** Lower case; unique. */
  email: string;
  /** May do everything, on every site. */
  instanceAdmin: boolean;
  /** Role by site id. */
  roles: Record<string, SiteRole>;
  /** A disabled user's sessions end at their next request and they cannot sign in. */
  disabled: boolean;
  passwordHash: string;
  /**
   * Every access token carries the version it was issued under; bumping it (password change,
   * reset, disabling, "end all sessions") ends every token at its next request.
   */
  tokenVersion: number;
  createdAt: string;
  updatedAt: string;
}

type StoredUser = User & { schemaVersion: number };

/** Schema 1: keyed by email, one instance-wide role. */
interface UserV1 {
  id: string;
  email: string;
  role: "admin" | "viewer";
  passwordHash: string;
  createdAt: string;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

const view = (u: StoredUser): User => ({
  id: u.id,
  email: u.email,
  instanceAdmin: u.instanceAdmin,
  roles: { ...u.roles },
  disabled: u.disabled,
  passwordHash: u.passwordHash,
  tokenVersion: u.tokenVersion,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
});

/**
 * Users in LMDB: db `users` (id → record, with `schemaVersion`) and db `user-emails` (email →
 * id). Memberships live in the record (`roles`): a self-hosted instance has few users, and a
 * role change is then one write. Every write is one `transactionSync`.
 */
export class UserStore {
  readonly #root: RootDatabase;
  readonly #users: Database<StoredUser | UserV1, string>;
  readonly #emails: Database<string, string>;
  readonly #now: () => Date;

  constructor(root: RootDatabase, now: () => Date) {
    this.#root = root;
    this.#users = root.openDB<StoredUser | UserV1, string>({ name: "users" });
    this.#emails = root.openDB<string, string>({ name: "user-emails" });
    this.#now = now;
  }

  count(): number {
    return this.#users.getCount();
  }

  get(id: string): User | undefined {
    const stored = this.#users.get(id);
    return stored && "schemaVersion" in stored ? view(stored) : undefined;
  }

  byEmail(email: string): User | undefined {
    const id = this.#emails.get(normalizeEmail(email));
    return id === undefined ? undefined : this.get(id);
  }

  list(): User[] {
    const users: User[] = [];
    for (const { value } of this.#users.getRange()) {
      if ("schemaVersion" in value) users.push(view(value));
    }
    return users.sort((a, b) => a.email.localeCompare(b.email));
  }

  /**
   * Creates the user unless the email is taken (null then); `onlyIfNoUsers` makes first-admin
   * creation race-free.
   */
  create(
    input: {
      email: string;
      passwordHash: string;
      instanceAdmin?: boolean;
      roles?: Record<string, SiteRole>;
    },
    options: { onlyIfNoUsers?: boolean } = {},
  ): User | null {
    const email = normalizeEmail(input.email);
    return this.#root.transactionSync(() => {
      if (options.onlyIfNoUsers && this.#users.getCount() > 0) return null;
      if (this.#emails.get(email) !== undefined) return null;
      const at = this.#now().toISOString();
      const user: StoredUser = {
        schemaVersion: USER_SCHEMA,
        id: randomUUID(),
        email,
        instanceAdmin: input.instanceAdmin ?? false,
        roles: { ...input.roles },
        disabled: false,
        passwordHash: input.passwordHash,
        tokenVersion: 0,
        createdAt: at,
        updatedAt: at,
      };
      this.#users.putSync(user.id, user);
      this.#emails.putSync(email, user.id);
      return view(user);
    });
  }

  /**
   * Writes `change(current)`; null when there is no such user. `change` may throw, which writes
   * nothing. Runs inside a caller's transaction when there is one.
   */
  update(id: string, change: (current: User) => User): User | null {
    return this.#root.transactionSync(() => {
      const current = this.get(id);
      if (!current) return null;
      const next = change(current);
      const record: StoredUser = {
        ...next,
        id,
        email: current.email,
        schemaVersion: USER_SCHEMA,
        updatedAt: this.#now().toISOString(),
      };
      this.#users.putSync(id, record);
      return view(record);
    });
  }

  remove(id: string): User | null {
    return this.#root.transactionSync(() => {
      const current = this.get(id);
      if (!current) return null;
      this.#users.removeSync(id);
      this.#emails.removeSync(current.email);
      return current;
    });
  }

  /** Drops every role on `site` (the site is being deleted); returns how many users had one. */
  removeSite(site: string): number {
    return this.#root.transactionSync(() => {
      let changed = 0;
      for (const user of this.list()) {
        if (!(site in user.roles)) continue;
        const { [site]: _, ...roles } = user.roles;
        this.update(user.id, (u) => ({ ...u, roles }));
        changed += 1;
      }
      return changed;
    });
  }

  /** Enabled instance admins: the last one may not be disabled, demoted or deleted. */
  activeInstanceAdmins(): number {
    return this.list().filter((u) => u.instanceAdmin && !u.disabled).length;
  }

  /**
   * The start-up pass: rewrites users of an older schema in one transaction. Schema 1 (keyed by
   * email, `role` admin or viewer): admins become instance admins, viewers become viewers of
   * every site that exists now (`sites`).
   */
  migrateStored(sites: readonly string[]): { migrated: number } {
    return this.#root.transactionSync(() => {
      let migrated = 0;
      for (const { key, value } of [...this.#users.getRange()]) {
        if ("schemaVersion" in value) continue;
        const old = value as UserV1;
        const email = normalizeEmail(old.email ?? key);
        const admin = old.role === "admin";
        const record: StoredUser = {
          schemaVersion: USER_SCHEMA,
          id: old.id ?? randomUUID(),
          email,
          instanceAdmin: admin,
          roles: admin ? {} : Object.fromEntries(sites.map((s) => [s, "viewer" as const])),
          disabled: false,
          passwordHash: old.passwordHash,
          tokenVersion: 0,
          createdAt: old.createdAt,
          updatedAt: this.#now().toISOString(),
        };
        this.#users.removeSync(key);
        this.#users.putSync(record.id, record);
        this.#emails.putSync(email, record.id);
        migrated += 1;
      }
      return { migrated };
    });
  }
}

export const isSiteRole = (value: string): value is SiteRole =>
  (SITE_ROLES as readonly string[]).includes(value);
