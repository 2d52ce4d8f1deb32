#!/usr/bin/env -S node --import tsx
import { parseArgs } from "node:util";
import { loadSettings, SettingsError } from "@sightline/config";
import { CliError, COMMANDS, type CommandContext } from "./commands.ts";

const USAGE = `Usage: sightline <command> [options]

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

Settings come from sightline.yaml (or $SIGHTLINE_CONFIG) and SIGHTLINE_* variables, as for the
server. In embedded mode only one process may open <dataDir>/clickhouse: stop the server first.
Options: --help`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: "boolean", short: "h" },
      once: { type: "boolean" },
      start: { type: "string" },
      end: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      site: { type: "string" },
      "raw-months": { type: "string" },
      "rollup-months": { type: "string" },
    },
  });
  const [name, ...args] = positionals;
  if (values.help || !name) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`sightline: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  const settings = loadSettings();
  const ctx: CommandContext = {
    settings,
    args,
    options: values,
    out: (line) => console.log(line),
  };
  return command(ctx);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof SettingsError || error instanceof CliError) {
    console.error(`sightline: ${error.message}`);
    process.exitCode = error instanceof SettingsError ? 78 : 2;
  } else if ((error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    console.error(`sightline: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(`sightline: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
