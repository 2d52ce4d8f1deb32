/** `sightline --help` and each command's own `--help`. */
export const USAGE = `Usage: sightline <command> [options]

Commands:
  migrate                     apply the ClickHouse migrations not yet applied
  ship [--once]               run the built-in shipper on its own (--once: drain the spool, exit)
  replay <file> [--start B] [--end B]
                              ship an archived spool file (or a byte range of it) again
  stats                       spool lag, archive size and rows per table
  rollups check|rebuild [--from DAY] [--to DAY] [--site ID]
                              compare the hourly rollup with the raw events / re-insert it from them
  retention set <site> --raw-months N --rollup-months M
  retention list              per-site retention overrides (defaults: raw 13, rollups 60 months)
  backup <dir>                copy LMDB (users, sites, dashboards) and every ClickHouse table into <dir>
  restore <dir>               load such a copy into an empty data folder

"sightline <command> --help" explains a command. Settings come from sightline.yaml (or
$SIGHTLINE_CONFIG) and SIGHTLINE_* variables, exactly as for the server, so the CLI works on the
server's data folder. While the server runs, commands go through its admin socket
(<dataDir>/admin.sock), since embedded ClickHouse lets one process open <dataDir>/clickhouse.`;

const SETTINGS_NOTE =
  "Settings and data folder: the server's (sightline.yaml or $SIGHTLINE_CONFIG, SIGHTLINE_* variables).";

export const HELP: Record<string, string> = {
  migrate: `Usage: sightline migrate

Applies the numbered ClickHouse migrations (config/clickhouse/) that are not yet recorded in
sightline.schema_migrations. The server applies them at start too, so this is for a ClickHouse
server that the backend has not reached yet. Runs inside the server while it runs.
${SETTINGS_NOTE}`,
  ship: `Usage: sightline ship [--once]

Runs the built-in shipper on its own: reads complete lines of the spool (spool.dir) past the
checkpoint and inserts them into ClickHouse, moving the checkpoint after each acknowledgement.
  --once    ship what the spool holds now, then exit (sealed files only)
Without --once it runs until Ctrl-C, printing progress every 10 s. Not while the server runs:
its own shipper ships the same spool ("sightline stats" shows the lag).
${SETTINGS_NOTE}`,
  replay: `Usage: sightline replay <file> [--start B] [--end B]

Ships an archived spool file (shipper.shippedFiles: archive) again, or the whole lines between
bytes B and B of it. <file> is a path, or a name inside shipper.archiveDir. Rows already stored
are not counted twice (reports count distinct event ids). Runs inside the server while it runs.
${SETTINGS_NOTE}`,
  stats: `Usage: sightline stats

Prints the spool's files, size and bytes not yet shipped, the archive, and the rows (and
distinct event ids) of every ClickHouse table. Runs inside the server while it runs.
${SETTINGS_NOTE}`,
  rollups: `Usage: sightline rollups check|rebuild [--from DAY] [--to DAY] [--site ID]

check     compares the hourly rollup and the visitor half hours with the raw events, hour by
          hour, month by month; exits 1 when any hour differs
rebuild   re-inserts both from the raw events (their states only union, so nothing doubles)
  --from DAY, --to DAY   YYYY-MM-DD, UTC (default: the oldest stored event to today)
  --site ID              one site only
Runs inside the server while it runs.
${SETTINGS_NOTE}`,
  retention: `Usage: sightline retention set <site> --raw-months N --rollup-months M
       sightline retention list

set    keeps the site's raw events N months and its rollups M months (1 <= N <= M), and
       re-applies the TTLs of the stored parts
list   prints the overrides (defaults: raw events 13 months, rollups 60 months)
Runs inside the server while it runs.
${SETTINGS_NOTE}`,
  backup: `Usage: sightline backup <dir>

Writes a backup into <dir> (new or empty), with progress:
  lmdb/data.mdb             users, sites, dashboards and their history, error triage: a
                            consistent snapshot (lmdb's copy API), taken while the server runs
  clickhouse/<table>.native every table of the sightline database, in ClickHouse Native format
  secrets/                  the generated JWT secret, if any
  manifest.json             written last: migrations, each table's columns and rows
Daily salts are not copied. While the server runs, the backup is taken by the server itself
(through its admin socket), so the files belong to the server's user.
${SETTINGS_NOTE}`,
  restore: `Usage: sightline restore <dir>

Loads a backup written by "sightline backup" into an empty data folder (and an empty ClickHouse
database, for a ClickHouse server): LMDB, secrets, then every table. The server must be stopped;
start it afterwards. Refuses a backup from a newer Sightline. If a restore fails half-way, empty
the data folder and run it again.
${SETTINGS_NOTE}`,
};
