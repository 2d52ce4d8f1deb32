import {
  DEFAULT_FEATURES,
  DEFAULT_RETENTION,
  DEFAULT_SITE_TIMEZONE,
  type IdentityMode,
  openSitesDb,
  type Retention,
  readSite,
  type Site,
  type SiteFeature,
  type StoredSite,
} from "@sightline/config";
import { type Database, open, type RootDatabase } from "lmdb";
import { AuditLog } from "./audit.ts";
import { DashboardStore } from "./dashboards.ts";
import { LinkStore } from "./links.ts";
import { SessionStore } from "./sessions.ts";
import { ShareStore } from "./shares.ts";
import { TokenStore } from "./tokens.ts";
import { UserStore } from "./users.ts";

export type { Site } from "@sightline/config";
export type { User } from "./users.ts";
export { DEFAULT_SITE_TIMEZONE };

export type SiteChanges = Partial<
  Pick<Site, "name" | "domains" | "timezone" | "retention" | "identity" | "features">
>;

export interface NewSite {
  id: string;
  name: string;
  domains: string[];
  timezone?: string;
  retention?: Retention;
  identity?: IdentityMode;
  features?: SiteFeature[];
}

/** The triage state of one error group (by site and stack fingerprint). */
export interface ErrorTriage {
  site: string;
  fingerprint: string;
  state: "unresolved" | "resolved" | "ignored";
  updatedAt: string;
  updatedBy: string;
}

export interface StoreOptions {
  /** The clock of expiries (sessions, links) and records; tests move it. */
  now?: () => Date;
}

/**
 * Metadata in LMDB (`<dataDir>/lmdb`): users, sessions, one-time links, API tokens, share links, the audit log, sites,
 * error triage and dashboards, all on one root, so a change that spans them (deleting a site)
 * is one transaction. LMDB is crash-safe and may be shared by processes.
 */
export class MetaStore {
  readonly #root: RootDatabase;
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly links: LinkStore;
  readonly audit: AuditLog;
  /** API tokens (src/store/tokens.ts). */
  readonly tokens: TokenStore;
  /** Share links (src/store/shares.ts). */
  readonly shares: ShareStore;
  /** Custom dashboards and their history (src/store/dashboards.ts). */
  readonly dashboards: DashboardStore;
  readonly #sites: Database<StoredSite, string>;
  readonly #triage: Database<ErrorTriage, string>;
  readonly #now: () => Date;

  constructor(path: string, options: StoreOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#root = open({ path });
    this.#sites = openSitesDb(this.#root);
    this.#triage = this.#root.openDB<ErrorTriage, string>({ name: "error-triage" });
    this.users = new UserStore(this.#root, this.#now);
    this.sessions = new SessionStore(this.#root, this.#now);
    this.links = new LinkStore(this.#root, this.#now);
    this.audit = new AuditLog(this.#root, this.#now);
    this.tokens = new TokenStore(this.#root, this.#now);
    this.shares = new ShareStore(this.#root, this.#now);
    this.dashboards = new DashboardStore(this.#root);
  }

  /** Runs `work` as one synchronous transaction: every write in it lands, or none. */
  transaction<T>(work: () => T): T {
    return this.#root.transactionSync(work);
  }

  listSites(): Site[] {
    return [...this.#sites.getRange()].map(({ value }) => readSite(value));
  }

  getSite(id: string): Site | undefined {
    const stored = this.#sites.get(id);
    return stored && readSite(stored);
  }

  createSite(input: NewSite): Site | null {
    return this.#root.transactionSync(() => {
      if (this.#sites.get(input.id)) return null;
      const at = this.#now().toISOString();
      const site: Site = {
        id: input.id,
        name: input.name,
        domains: input.domains,
        timezone: input.timezone ?? DEFAULT_SITE_TIMEZONE,
        retention: input.retention ?? { ...DEFAULT_RETENTION },
        identity: input.identity ?? "cookieless",
        features: input.features ?? [...DEFAULT_FEATURES],
        createdAt: at,
        updatedAt: at,
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
      if (changes.retention !== undefined) site.retention = changes.retention;
      if (changes.identity !== undefined) site.identity = changes.identity;
      if (changes.features !== undefined) site.features = changes.features;
      site.updatedAt = this.#now().toISOString();
      this.#sites.putSync(id, site);
      return site;
    });
  }

  /**
   * Removes a site and everything in LMDB that names it, in one transaction: the record, every
   * role on it, its roles in pending invitations and API tokens, its share links, its error triage, and its place in dashboards
   * (see DashboardStore.removeSite). ClickHouse rows are the caller's (deleteSiteData), first.
   */
  deleteSite(
    id: string,
    user: string,
  ): { site: Site; members: number; dashboards: { changed: number; deleted: number } } | null {
    return this.#root.transactionSync(() => {
      const site = this.getSite(id);
      if (!site) return null;
      this.#sites.removeSync(id);
      const members = this.users.removeSite(id);
      this.links.removeSite(id);
      this.tokens.removeSite(id);
      this.shares.removeSite(id);
      for (const key of [...this.#triage.getKeys({ start: `${id}|`, end: `${id}|\uffff` })]) {
        this.#triage.removeSync(key);
      }
      const dashboards = this.dashboards.removeSite(id, user);
      return { site, members, dashboards };
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
