import type { Settings } from "@sightline/config";
import type { AdminRequest } from "./admin.ts";
import { backup, restore } from "./backup.ts";
import { COMMANDS as BASIC, type Command, type CommandHost } from "./commands.ts";

/** Every command by name. */
export const COMMANDS: Record<string, Command> = { ...BASIC, backup, restore };

/** Commands that open ClickHouse, so they must run inside a server that holds it. */
export const ENGINE_COMMANDS = new Set(Object.keys(COMMANDS));

/** Runs one command inside the running server, with the server's settings and engine. */
export function runInServer(
  settings: Settings,
  host: CommandHost,
  request: AdminRequest,
  out: (line: string) => void,
): Promise<number> {
  const command = COMMANDS[request.command];
  if (!command) return Promise.reject(new Error(`unknown command "${request.command}"`));
  return command({ settings, args: request.args, options: request.options, out, host });
}
