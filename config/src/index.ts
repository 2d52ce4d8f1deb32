export {
  type ClickHouse,
  DATABASE,
  openClickHouse,
  type QueryParams,
  READ_SETTINGS,
} from "./clickhouse.ts";
export { MIGRATIONS_DIR, type Migration, migrate, readMigrations } from "./migrate.ts";
export {
  durationMs,
  type LoadOptions,
  loadSettings,
  type OidcSettings,
  type Settings,
  SettingsError,
  settingsSchema,
  wholeFileMaxBytes,
} from "./settings.ts";
export { deleteSiteData, SITE_TABLES, setSiteRetention } from "./site-data.ts";
export {
  DEFAULT_FEATURES,
  DEFAULT_RETENTION,
  DEFAULT_SITE_TIMEZONE,
  IDENTITY_MODES,
  type IdentityMode,
  openSitesDb,
  type Retention,
  readSite,
  SITE_FEATURES,
  SITES_DB,
  type Site,
  type SiteFeature,
  SiteReader,
  type StoredSite,
} from "./sites.ts";
