import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { HELP, USAGE } from "./help.ts";

// Help needs nothing else: the rest (the ClickHouse engine among it) loads only to run a command,
// so `--help` answers at once.

/** Arguments that name files, made absolute here: the server resolves nothing against our cwd. */
function absoluteArgs(command: string, args: string[]): string[] {
  if (command === "backup" || command === "restore") return args.map((a) => resolve(a));
  return args;
}

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
  // `sightline help <command>` is `sightline <command> --help`.
  const asked = positionals[0] === "help";
  if (asked) values.help = true;
  const [name, ...args] = asked ? positionals.slice(1) : positionals;
  if (!name) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const help = HELP[name];
  if (!help) {
    console.error(`sightline: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(help);
    return 0;
  }
  const { adminSocketPath, runThroughSocket } = await import("./admin.ts");
  const { engineHolder } = await import("./engine-lock.ts");
  const { COMMANDS } = await import("./run.ts");
  const command = COMMANDS[name];
  if (!command) throw new Error(`command "${name}" has help but no code`);
  const { loadSettings } = await import("@sightline/config");
  const { CliError, lockedMessage } = await import("./commands.ts");
  const settings = loadSettings();
  const out = (line: string) => console.log(line);
  const { help: _, ...options } = values;
  const request = { command: name, args: absoluteArgs(name, args), options };
  // A running server holds the embedded engine: the command runs inside it.
  const remote = await runThroughSocket(adminSocketPath(settings.dataDir), request, out);
  if (remote !== null) return remote;
  if (!settings.clickhouse.url) {
    const holder = engineHolder(settings.dataDir);
    if (holder !== null) throw new CliError(lockedMessage(settings.dataDir, holder));
  }
  return command({ settings, args: request.args, options, out });
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const e = error as Error & { code?: string; exitCode?: number };
  if (e.name === "SettingsError") {
    console.error(`sightline: ${e.message}`);
    process.exitCode = 78;
  } else if (e.name === "CliError" || e.name === "RemoteCommandError") {
    // One sentence that names the fix; a command run inside the server chose its own exit code.
    console.error(`sightline: ${e.message}`);
    process.exitCode = e.exitCode ?? 2;
  } else if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    console.error(`sightline: ${e.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(`sightline: ${e.message}`);
    process.exitCode = 1;
  }
}
