import { randomUUID } from "node:crypto";
import type { Database, RootDatabase } from "lmdb";
import type {
  Dashboard,
  DashboardContent,
  LayoutItem,
  Source,
  Widget,
} from "../schemas/dashboards.ts";

/** The layout of stored records; bump it with a new step in UPGRADES when it changes. */
export const SCHEMA_VERSION = 1;
/** Versions kept per dashboard, the current one included. */
export const HISTORY = 20;

/** A dashboard as LMDB holds it: the current one and every kept version alike. */
export interface StoredDashboard extends Dashboard {
  schemaVersion: number;
}

export type WriteResult =
  | { status: "ok"; dashboard: Dashboard }
  | { status: "missing" }
  | { status: "stale"; version: number };

type RawRecord = Record<string, unknown>;

/**
 * UPGRADES[n] turns a record of schema n into schema n + 1. Add a step for each change of the
 * stored layout; never edit one that has shipped.
 */
const UPGRADES: readonly ((record: RawRecord) => RawRecord)[] = [
  // 0 → 1. Schema 0 is a record without `schemaVersion`: no release wrote one (dashboards came
  // with schema 1), but a hand-written or development record is read safely rather than trusted:
  // missing description, defaults and updatedBy get their defaults, layout entries of widgets
  // that are gone are dropped and widgets without one go below the others.
  (r) => {
    const widgets = Array.isArray(r.widgets) ? (r.widgets as { id: string }[]) : [];
    const ids = new Set(widgets.map((w) => w.id));
    const layout = (Array.isArray(r.layout) ? (r.layout as LayoutItem[]) : []).filter(
      (l, i, all) => ids.has(l.widget) && all.findIndex((o) => o.widget === l.widget) === i,
    );
    let y = layout.reduce((max, l) => Math.max(max, l.y + l.h), 0);
    for (const w of widgets) {
      if (layout.some((l) => l.widget === w.id)) continue;
      layout.push({ widget: w.id, x: 0, y, w: 12, h: 4 });
      y += 4;
    }
    return {
      ...r,
      description: typeof r.description === "string" ? r.description : "",
      widgets,
      layout,
      defaults: r.defaults ?? { compare: null, filters: [] },
      updatedBy: typeof r.updatedBy === "string" ? r.updatedBy : "",
    };
  },
];

/**
 * Brings a stored record up to SCHEMA_VERSION; applied to everything read, current or history.
 * A record from a newer Sightline (after a downgrade) is refused, not guessed at.
 */
export function migrateDashboard(record: unknown): StoredDashboard {
  if (!record || typeof record !== "object") throw new Error("not a dashboard record");
  let r = record as RawRecord;
  let version = typeof r.schemaVersion === "number" ? r.schemaVersion : 0;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `dashboard ${String(r.id)} has schema ${version}; this Sightline reads up to ${SCHEMA_VERSION}`,
    );
  }
  while (version < SCHEMA_VERSION) {
    const step = UPGRADES[version];
    if (!step) throw new Error(`no upgrade from dashboard schema ${version}`);
    version += 1;
    r = { ...step(r), schemaVersion: version };
  }
  return r as unknown as StoredDashboard;
}

/** Only a dashboard's fields, in a fixed order (the stored record also has schemaVersion). */
function view(r: StoredDashboard): Dashboard {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    sites: r.sites,
    widgets: r.widgets,
    layout: r.layout,
    defaults: r.defaults,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy,
  };
}

/** The sites a widget's data comes from (none for a text widget). */
export function sourceSites(source: Source): readonly string[] {
  if (source.kind === "query") return source.spec.sites;
  if (source.kind === "none") return [];
  return source.body.sites;
}

/**
 * Every site a dashboard shows: its own list and each widget's. Access to a dashboard is access
 * to all of them (src/auth/locators.ts).
 */
export function dashboardSites(content: {
  sites: readonly string[];
  widgets: readonly { source: Source }[];
}): string[] {
  return [...new Set([...content.sites, ...content.widgets.flatMap((w) => sourceSites(w.source))])];
}

/** The widget without `site` among its sources' sites; null when it had no other. */
function withoutSite(widget: Widget, site: string): Widget | null {
  const sites = sourceSites(widget.source);
  if (!sites.includes(site)) return widget;
  const rest = sites.filter((s) => s !== site);
  if (!rest.length) return null;
  const { source } = widget;
  if (source.kind === "query")
    return { ...widget, source: { ...source, spec: { ...source.spec, sites: rest } } };
  if (source.kind === "none") return widget;
  return { ...widget, source: { ...source, body: { ...source.body, sites: rest } } } as Widget;
}

const FIRST = 0;
const LAST = Number.MAX_SAFE_INTEGER;

/**
 * Dashboards in LMDB, on the same root as users and sites: db `dashboards` (id → the current
 * record) and db `dashboard-versions` ([id, version] → the record as of that version, the last
 * HISTORY of them). Every write puts the new current record and its snapshot and prunes older
 * snapshots in one synchronous transaction, so a crash leaves the state before or after it.
 */
export class DashboardStore {
  readonly #root: RootDatabase;
  readonly #current: Database<unknown, string>;
  readonly #versions: Database<unknown, [string, number]>;
  readonly #now: () => Date;

  constructor(root: RootDatabase, options: { now?: () => Date } = {}) {
    this.#root = root;
    this.#current = root.openDB<unknown, string>({ name: "dashboards" });
    this.#versions = root.openDB<unknown, [string, number]>({ name: "dashboard-versions" });
    this.#now = options.now ?? (() => new Date());
  }

  list(): Dashboard[] {
    return [...this.#current.getRange()].map(({ value }) => view(migrateDashboard(value)));
  }

  get(id: string): Dashboard | undefined {
    const stored = this.#current.get(id);
    return stored === undefined ? undefined : view(migrateDashboard(stored));
  }

  /** A new dashboard at version 1. */
  create(content: DashboardContent, user: string, id: string = randomUUID()): Dashboard {
    const at = this.#now().toISOString();
    return this.#root.transactionSync(() => {
      if (this.#current.get(id) !== undefined) throw new Error(`dashboard ${id} exists`);
      return view(this.#put(id, content, { version: 1, createdAt: at, updatedAt: at, user }));
    });
  }

  /**
   * Writes `change(current)` as the next version if the dashboard is at version `expected`. The
   * check and the write are one transaction; `change` runs before anything is written and may
   * throw, which writes nothing.
   */
  update(
    id: string,
    expected: number,
    user: string,
    change: (current: Dashboard) => DashboardContent,
  ): WriteResult {
    return this.#root.transactionSync((): WriteResult => {
      const stored = this.#current.get(id);
      if (stored === undefined) return { status: "missing" };
      const current = migrateDashboard(stored);
      if (current.version !== expected) return { status: "stale", version: current.version };
      const content = change(view(current));
      const record = this.#put(id, content, {
        version: current.version + 1,
        createdAt: current.createdAt,
        updatedAt: this.#now().toISOString(),
        user,
      });
      return { status: "ok", dashboard: view(record) };
    });
  }

  /** Removes the dashboard and its history if it is at version `expected`. */
  remove(id: string, expected: number): { status: "ok" } | Exclude<WriteResult, { status: "ok" }> {
    return this.#root.transactionSync(() => {
      const stored = this.#current.get(id);
      if (stored === undefined) return { status: "missing" as const };
      const { version } = migrateDashboard(stored);
      if (version !== expected) return { status: "stale" as const, version };
      for (const key of this.#versionKeys(id, FIRST, LAST)) this.#versions.removeSync(key);
      this.#current.removeSync(id);
      return { status: "ok" as const };
    });
  }

  /**
   * A site is being deleted: it leaves every dashboard's sites and every widget's sources, each
   * change written as a new version by `user`. Widgets of that site only are removed, and
   * dashboards left with no site are deleted with their history. Part of the caller's
   * transaction (MetaStore.deleteSite).
   */
  removeSite(site: string, user: string): { changed: number; deleted: number } {
    return this.#root.transactionSync(() => {
      let changed = 0;
      let deleted = 0;
      for (const current of this.list()) {
        if (!dashboardSites(current).includes(site)) continue;
        const sites = current.sites.filter((s) => s !== site);
        if (!sites.length) {
          for (const key of this.#versionKeys(current.id, FIRST, LAST))
            this.#versions.removeSync(key);
          this.#current.removeSync(current.id);
          deleted += 1;
          continue;
        }
        const widgets = current.widgets.flatMap((w) => withoutSite(w, site) ?? []);
        const kept = new Set(widgets.map((w) => w.id));
        this.#put(
          current.id,
          { ...current, sites, widgets, layout: current.layout.filter((l) => kept.has(l.widget)) },
          {
            version: current.version + 1,
            createdAt: current.createdAt,
            updatedAt: this.#now().toISOString(),
            user,
          },
        );
        changed += 1;
      }
      return { changed, deleted };
    });
  }

  /** The kept versions, newest first (the first is the current one); empty when none. */
  history(id: string): Dashboard[] {
    return [...this.#versions.getRange({ start: [id, LAST], end: [id, FIRST], reverse: true })].map(
      ({ value }) => view(migrateDashboard(value)),
    );
  }

  version(id: string, version: number): Dashboard | undefined {
    const stored = this.#versions.get([id, version]);
    return stored === undefined ? undefined : view(migrateDashboard(stored));
  }

  /**
   * The start-up pass: rewrites every record of an older schema, current and history, in one
   * transaction. Records of a newer schema are left as they are and counted.
   */
  migrateStored(): { migrated: number; newer: number } {
    return this.#root.transactionSync(() => {
      let migrated = 0;
      let newer = 0;
      const upgrade = <K extends string | [string, number]>(db: Database<unknown, K>) => {
        for (const { key, value } of [...db.getRange()]) {
          const schema = (value as { schemaVersion?: unknown }).schemaVersion;
          if (schema === SCHEMA_VERSION) continue;
          if (typeof schema === "number" && schema > SCHEMA_VERSION) {
            newer += 1;
            continue;
          }
          db.putSync(key, migrateDashboard(value));
          migrated += 1;
        }
      };
      upgrade(this.#current);
      upgrade(this.#versions);
      return { migrated, newer };
    });
  }

  #versionKeys(id: string, from: number, to: number): [string, number][] {
    return [...this.#versions.getKeys({ start: [id, from], end: [id, to] })];
  }

  /** Puts the current record and its snapshot, and drops snapshots past HISTORY. */
  #put(
    id: string,
    content: DashboardContent,
    meta: { version: number; createdAt: string; updatedAt: string; user: string },
  ): StoredDashboard {
    const record: StoredDashboard = {
      schemaVersion: SCHEMA_VERSION,
      id,
      name: content.name,
      description: content.description,
      sites: content.sites,
      widgets: content.widgets,
      layout: content.layout,
      defaults: content.defaults,
      version: meta.version,
      createdAt: meta.createdAt,
      updatedAt: meta.updatedAt,
      updatedBy: meta.user,
    };
    this.#current.putSync(id, record);
    this.#versions.putSync([id, meta.version], record);
    for (const key of this.#versionKeys(id, FIRST, meta.version - HISTORY + 1)) {
      this.#versions.removeSync(key);
    }
    return record;
  }
}
