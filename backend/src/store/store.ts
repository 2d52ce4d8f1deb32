import { randomUUID } from "node:crypto";
import { type Database, open, type RootDatabase } from "lmdb";
import { DashboardStore } from "./dashboards.ts";

export type Role = "admin" | "viewer";

export interface User {
  id: string;
  email: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
}

export interface Site {
  id: string;
  name: string;
  domains: string[];
  /** IANA zone the site's reports use by default (days, hours, "today"). */
  timezone: string;
  createdAt: string;
}

/** Sites stored before time zones existed lack the field; they read as UTC. */
type StoredSite = Omit<Site, "timezone"> & { timezone?: string };

export const DEFAULT_SITE_TIMEZONE = "UTC";

export type SiteChanges = Partial<Pick<Site, "name" | "domains" | "timezone">>;

const readSite = (stored: StoredSite): Site => ({
  ...stored,
  timezone: stored.timezone ?? DEFAULT_SITE_TIMEZONE,
});

/** The triage state of one error group (by site and stack fingerprint). */
export interface ErrorTriage {
  site: string;
  fingerprint: string;
  state: "unresolved" | "resolved" | "ignored";
  updatedAt: string;
  updatedBy: string;
}

/** Users and sites in LMDB (`<dataDir>/lmdb`). LMDB is crash-safe and may be shared by processes. */
export class MetaStore {
  readonly #root: RootDatabase;
  /** Custom dashboards and their history, on the same LMDB root (src/store/dashboards.ts). */
  readonly dashboards: DashboardStore;
  readonly #users: Database<User, string>;
  readonly #sites: Database<StoredSite, string>;
  readonly #triage: Database<ErrorTriage, string>;

  constructor(path: string) {
    this.#root = open({ path });
    this.#users = this.#root.openDB<User, string>({ name: "users" });
    this.#sites = this.#root.openDB<StoredSite, string>({ name: "sites" });
    this.#triage = this.#root.openDB<ErrorTriage, string>({ name: "error-triage" });
    this.dashboards = new DashboardStore(this.#root);
  }

  userCount(): number {
    return this.#users.getCount();
  }

  findUser(email: string): User | undefined {
    return this.#users.get(email.trim().toLowerCase());
  }

  /** Creates the user unless the email is taken; `onlyIfNoUsers` makes first-admin creation race-free. */
  createUser(
    input: { email: string; role: Role; passwordHash: string },
    options: { onlyIfNoUsers?: boolean } = {},
  ): User | null {
    const email = input.email.trim().toLowerCase();
    return this.#root.transactionSync(() => {
      if (options.onlyIfNoUsers && this.#users.getCount() > 0) return null;
      if (this.#users.get(email)) return null;
      const user: User = { ...input, email, id: randomUUID(), createdAt: new Date().toISOString() };
      this.#users.putSync(email, user);
      return user;
    });
  }

  listSites(): Site[] {
    return [...this.#sites.getRange()].map(({ value }) => readSite(value));
  }

  getSite(id: string): Site | undefined {
    const stored = this.#sites.get(id);
    return stored && readSite(stored);
  }

  createSite(input: {
    id: string;
    name: string;
    domains: string[];
    timezone?: string;
  }): Site | null {
    return this.#root.transactionSync(() => {
      if (this.#sites.get(input.id)) return null;
      const site: Site = {
        ...input,
        timezone: input.timezone ?? DEFAULT_SITE_TIMEZONE,
        createdAt: new Date().toISOString(),
      };
      this.#sites.putSync(input.id, site);
      return site;
    });
  }

  /** Applies the given changes; null when there is no such site. Other fields stay as they were. */
  updateSite(id: string, changes: SiteChanges): Site | null {
    return this.#root.transactionSync(() => {
      const stored = this.#sites.get(id);
      if (!stored) return null;
      const site: Site = { ...readSite(stored) };
      if (changes.name !== undefined) site.name = changes.name;
      if (changes.domains !== undefined) site.domains = changes.domains;
      if (changes.timezone !== undefined) site.timezone = changes.timezone;
      this.#sites.putSync(id, site);
      return site;
    });
  }

  /** Keys are `site|fingerprint`, so one site's states are one range scan. */
  setErrorTriage(input: Omit<ErrorTriage, "updatedAt">): ErrorTriage {
    const triage: ErrorTriage = { ...input, updatedAt: new Date().toISOString() };
    this.#triage.putSync(`${input.site}|${input.fingerprint}`, triage);
    return triage;
  }

  /** The stored (non-default) triage states of these sites. */
  triagedErrors(sites: readonly string[]): ErrorTriage[] {
    return sites.flatMap((site) =>
      [...this.#triage.getRange({ start: `${site}|`, end: `${site}|\uffff` })].map(
        ({ value }) => value,
      ),
    );
  }

  /** A consistent snapshot of the whole environment into the folder `dir` (as data.mdb). */
  backup(dir: string): Promise<void> {
    return this.#root.backup(dir, false);
  }

  async close(): Promise<void> {
    await this.#root.close();
  }
}
