import {
  chmodSync,
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { finished, pipeline } from "node:stream/promises";
import { type ClickHouse, DATABASE, migrate, readMigrations } from "@sightline/config";
import { open } from "lmdb";
import { sqlString } from "../shipper.ts";
import { CliError, type Command, type CommandContext, withClickHouse } from "./commands.ts";

/**
 * `sightline backup <dir>` and `sightline restore <dir>`.
 *
 * A backup folder holds:
 *   manifest.json               format, time, applied migrations, each table's columns and rows
 *   lmdb/data.mdb               users, sites, dashboards, triage: lmdb's consistent copy
 *   clickhouse/<table>.native   every table of the sightline database, ClickHouse Native format
 *   secrets/                    the generated JWT secret, when there is one (mode 0600)
 * Daily salts are left out on purpose: they exist to be forgotten after two days.
 */
export const BACKUP_FORMAT = "sightline-backup";
export const BACKUP_FORMAT_VERSION = 1;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  createdAt: string;
  migrations: string[];
  lmdb: string;
  tables: { name: string; file: string; columns: string[]; rows: number; bytes: number }[];
  secrets: string[];
}

const MANIFEST = "manifest.json";

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Tables that hold data (views and the Merge table read others; migrations are recorded apart). */
async function dataTables(ch: ClickHouse): Promise<string[]> {
  const rs = await ch.client.query({
    query: `SELECT name FROM system.tables WHERE database = {db:String} AND engine LIKE '%MergeTree' AND name != 'schema_migrations' ORDER BY name`,
    query_params: { db: DATABASE },
    format: "JSONEachRow",
  });
  return (await rs.json<{ name: string }>()).map((r) => r.name);
}

/** The columns an INSERT can write (MATERIALIZED and ALIAS columns are computed, not stored). */
async function storedColumns(ch: ClickHouse, table: string): Promise<string[]> {
  const rs = await ch.client.query({
    query: `SELECT name FROM system.columns WHERE database = {db:String} AND table = {t:String} AND default_kind NOT IN ('MATERIALIZED', 'ALIAS', 'EPHEMERAL') ORDER BY position`,
    query_params: { db: DATABASE, t: table },
    format: "JSONEachRow",
  });
  return (await rs.json<{ name: string }>()).map((r) => r.name);
}

const ident = (name: string) => {
  if (!/^\w+$/.test(name)) throw new CliError(`unexpected name "${name}" in the backup`);
  return `\`${name}\``;
};

async function countRows(ch: ClickHouse, table: string): Promise<number> {
  const rs = await ch.client.query({
    query: `SELECT count() AS n FROM ${DATABASE}.${ident(table)}`,
    format: "JSONEachRow",
  });
  return Number((await rs.json<{ n: string }>())[0]?.n ?? 0);
}

/** One table into a Native file: the embedded engine writes it itself; a server streams it here. */
async function exportTable(ch: ClickHouse, table: string, columns: string[], file: string) {
  const select = `SELECT ${columns.map(ident).join(", ")} FROM ${DATABASE}.${ident(table)}`;
  if (ch.mode === "embedded") {
    await ch.client.command({
      query: `INSERT INTO FUNCTION file(${sqlString(file)}, 'Native') ${select}`,
    });
    return;
  }
  const rs = await ch.client.exec({ query: `${select} FORMAT Native` });
  await pipeline(rs.stream, createWriteStream(file));
}

async function importTable(ch: ClickHouse, table: string, columns: string[], file: string) {
  const list = columns.map(ident).join(", ");
  if (ch.mode === "embedded") {
    await ch.client.command({
      query: `INSERT INTO ${DATABASE}.${ident(table)} (${list}) SELECT ${list} FROM file(${sqlString(file)}, 'Native')`,
    });
    return;
  }
  const rs = await ch.client.exec({
    query: `INSERT INTO ${DATABASE}.${ident(table)} (${list}) FORMAT Native`,
    values: createReadStream(file),
  });
  await finished(rs.stream.resume());
}

function isEmptyFolder(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/** The server's LMDB copy when running inside it; else a copy through an environment of our own. */
async function copyLmdb(ctx: CommandContext, into: string): Promise<void> {
  if (ctx.host) return ctx.host.backupLmdb(into);
  const path = join(ctx.settings.dataDir, "lmdb");
  if (!existsSync(join(path, "data.mdb")))
    throw new CliError(
      `no LMDB data in ${path}: is ${ctx.settings.dataDir} a Sightline data folder?`,
    );
  const root = open({ path });
  try {
    await root.backup(into, false);
  } finally {
    await root.close();
  }
}

export const backup: Command = async (ctx) => {
  const { args, out, settings } = ctx;
  const [target] = args;
  if (!target)
    throw new CliError("backup: name a folder to write, e.g. sightline backup ./backup-2026-05-01");
  const dir = resolve(target);
  if (!isEmptyFolder(dir))
    throw new CliError(`backup: ${dir} is not empty: name a new or empty folder`);
  mkdirSync(join(dir, "lmdb"), { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const started = Date.now();

  const lmdbFile = join(dir, "lmdb", "data.mdb");
  out(`lmdb: copying ${join(settings.dataDir, "lmdb")} (a consistent snapshot)...`);
  await copyLmdb(ctx, join(dir, "lmdb"));
  out(`lmdb: ${mib(statSync(lmdbFile).size)}`);

  const secrets: string[] = [];
  const secretsDir = join(settings.dataDir, "secrets");
  if (existsSync(secretsDir)) {
    mkdirSync(join(dir, "secrets"), { mode: 0o700 });
    for (const name of readdirSync(secretsDir)) {
      copyFileSync(join(secretsDir, name), join(dir, "secrets", name));
      chmodSync(join(dir, "secrets", name), 0o600);
      secrets.push(name);
    }
  }

  const manifest = await withClickHouse(ctx, async (ch) => {
    mkdirSync(join(dir, "clickhouse"));
    const rs = await ch.client.query({
      query: `SELECT name FROM ${DATABASE}.schema_migrations FINAL ORDER BY version`,
      format: "JSONEachRow",
    });
    const migrations = (await rs.json<{ name: string }>()).map((r) => r.name);
    const tables: BackupManifest["tables"] = [];
    for (const name of await dataTables(ch)) {
      const columns = await storedColumns(ch, name);
      const file = join("clickhouse", `${name}.native`);
      const rows = await countRows(ch, name);
      out(`clickhouse: ${DATABASE}.${name}: exporting ${rows} rows...`);
      await exportTable(ch, name, columns, join(dir, file));
      const bytes = statSync(join(dir, file)).size;
      out(`clickhouse: ${DATABASE}.${name}: ${rows} rows, ${mib(bytes)}`);
      tables.push({ name, file, columns, rows, bytes });
    }
    return {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      migrations,
      lmdb: join("lmdb", "data.mdb"),
      tables,
      secrets,
    } satisfies BackupManifest;
  });
  // Written last: a folder without a manifest is an unfinished backup, and restore refuses it.
  writeFileSync(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  out(`backup written to ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
};

function readManifest(dir: string): BackupManifest {
  const file = join(dir, MANIFEST);
  if (!existsSync(file))
    throw new CliError(
      `restore: ${dir} holds no ${MANIFEST}: it is not a finished Sightline backup`,
    );
  const manifest = JSON.parse(readFileSync(file, "utf8")) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT)
    throw new CliError(`restore: ${file} is not a Sightline backup manifest`);
  if (manifest.formatVersion > BACKUP_FORMAT_VERSION)
    throw new CliError(
      `restore: the backup's format ${manifest.formatVersion} is newer than this Sightline reads (${BACKUP_FORMAT_VERSION}): upgrade Sightline first`,
    );
  const known = new Set(readMigrations().map((m) => m.name));
  const unknown = manifest.migrations.filter((m) => !known.has(m));
  if (unknown.length)
    throw new CliError(
      `restore: the backup comes from a newer Sightline (migration ${unknown[0]} is unknown here): upgrade Sightline first`,
    );
  return manifest;
}

export const restore: Command = async (ctx) => {
  const { args, out, settings, host } = ctx;
  if (host)
    throw new CliError(
      `restore: the Sightline server is running on ${settings.dataDir}: stop it, then run sightline restore into an empty data folder`,
    );
  const [source] = args;
  if (!source)
    throw new CliError("restore: name a backup folder, e.g. sightline restore ./backup-2026-05-01");
  const dir = resolve(source);
  const manifest = readManifest(dir);
  const lmdbDir = join(settings.dataDir, "lmdb");
  if (existsSync(join(lmdbDir, "data.mdb")))
    throw new CliError(
      `restore: ${settings.dataDir} already holds data (${join(lmdbDir, "data.mdb")}): restore into an empty data folder (set dataDir or SIGHTLINE_DATA_DIR)`,
    );
  const started = Date.now();
  return withClickHouse(ctx, async (ch) => {
    await migrate(ch.client, undefined, out);
    for (const table of await dataTables(ch)) {
      if ((await countRows(ch, table)) > 0)
        throw new CliError(
          `restore: ClickHouse already holds rows in ${DATABASE}.${table}: restore into an empty data folder and an empty database`,
        );
    }
    mkdirSync(lmdbDir, { recursive: true });
    copyFileSync(join(dir, manifest.lmdb), join(lmdbDir, "data.mdb"));
    out(`lmdb: users, sites and dashboards restored to ${lmdbDir}`);
    for (const name of manifest.secrets) {
      const target = join(settings.dataDir, "secrets", name);
      if (existsSync(target)) continue;
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      copyFileSync(join(dir, "secrets", name), target);
      chmodSync(target, 0o600);
    }
    // Rollup tables merge idempotently (set unions, min, max), so the raw events re-feeding the
    // views on insert change nothing in the restored rollups.
    for (const table of manifest.tables) {
      out(`clickhouse: ${DATABASE}.${table.name}: importing ${table.rows} rows...`);
      await importTable(ch, table.name, table.columns, join(dir, table.file));
      const rows = await countRows(ch, table.name);
      out(`clickhouse: ${DATABASE}.${table.name}: ${rows} rows`);
    }
    out(
      `restored ${dir} into ${settings.dataDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return 0;
  });
};
