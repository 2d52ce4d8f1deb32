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
  type Settings,
  SettingsError,
  settingsSchema,
  wholeFileMaxBytes,
} from "./settings.ts";
