import { runDemo } from "./cli.ts";

// `pnpm demo`: see cli.ts, or run with --help.
runDemo(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`demo: failed: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
