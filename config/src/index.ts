export {
  type ClickHouse,
  DATABASE,
  openClickHouse,
  type QueryParams,
  READ_SETTINGS,
} from "./clickhouse.ts";
export {
  MIGRATIONS_DIR,
  type Migration,
  type MigrationContext,
  migrate,
  readMigrations,
} from "./migrate.ts";
export {
  durationMs,
  type LoadOptions,
  loadSettings,
  type Settings,
  SettingsError,
  settingsSchema,
} from "./settings.ts";
export * from "./storage/index.ts";
