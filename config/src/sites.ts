import { type Database, open, type RootDatabase } from "lmdb";

/**
 * Sites as LMDB holds them (`<dataDir>/lmdb`, db `sites`, key: the site id). The one definition
 * of the record: the backend writes it (backend/src/store/store.ts) and the standalone collector
 * reads it through SiteReader, so neither opens the other's database by name.
 */
export const SITES_DB = "sites";

/** How the tracker identifies a visitor. Cookieless (a daily-salted server-side hash) by default. */
export const IDENTITY_MODES = ["cookieless", "storage", "fingerprint"] as const;
export type IdentityMode = (typeof IDENTITY_MODES)[number];

/** What the tracker may capture on its own; the tracker builds only what a site switches on. */
export const SITE_FEATURES = [
  "engagement",
  "scroll",
  "outbound",
  "download",
  "form",
  "404",
  "errors",
  "vitals",
] as const;
export type SiteFeature = (typeof SITE_FEATURES)[number];

/** What the tracker captures today without any attribute: everything but the two plugins. */
export const DEFAULT_FEATURES: readonly SiteFeature[] = [
  "engagement",
  "scroll",
  "outbound",
  "download",
  "form",
  "404",
];

/** Months kept; the same defaults as the TTLs in config/clickhouse (site_retention_dict). */
export interface Retention {
  rawMonths: number;
  rollupMonths: number;
}
export const DEFAULT_RETENTION: Readonly<Retention> = { rawMonths: 13, rollupMonths: 60 };
export const DEFAULT_SITE_TIMEZONE = "UTC";

export interface Site {
  id: string;
  name: string;
  domains: string[];
  /** IANA zone the site's reports use by default (days, hours, "today"). */
  timezone: string;
  retention: Retention;
  identity: IdentityMode;
  features: SiteFeature[];
  createdAt: string;
  updatedAt: string;
}

/** A record as written by any release: fields added later are missing from older ones. */
export type StoredSite = Pick<Site, "id" | "name" | "domains" | "createdAt"> & Partial<Site>;

/** A stored record with the defaults of the fields its release did not know yet. */
export function readSite(stored: StoredSite): Site {
  return {
    id: stored.id,
    name: stored.name,
    domains: [...stored.domains],
    timezone: stored.timezone ?? DEFAULT_SITE_TIMEZONE,
    retention: { ...(stored.retention ?? DEFAULT_RETENTION) },
    identity: stored.identity ?? "cookieless",
    features: [...(stored.features ?? DEFAULT_FEATURES)],
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt ?? stored.createdAt,
  };
}

/** The sites database on an open LMDB root (the backend's MetaStore owns the writes). */
export function openSitesDb(root: RootDatabase): Database<StoredSite, string> {
  return root.openDB<StoredSite, string>({ name: SITES_DB });
}

/**
 * Read-only access to the sites of an LMDB folder, for processes that do not own it (the
 * standalone collector). LMDB is safe to share between processes on one machine.
 */
export class SiteReader {
  readonly #root: RootDatabase;
  readonly #sites: Database<StoredSite, string>;

  constructor(path: string) {
    // Not `readOnly`: LMDB refuses that before the backend has created the folder or the db.
    this.#root = open({ path });
    this.#sites = openSitesDb(this.#root);
  }

  get(id: string): Site | undefined {
    const stored = this.#sites.get(id);
    return stored && readSite(stored);
  }

  list(): Site[] {
    return [...this.#sites.getRange()].map(({ value }) => readSite(value));
  }

  async close(): Promise<void> {
    await this.#root.close();
  }
}
