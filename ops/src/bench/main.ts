import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// `pnpm bench <name>` runs ops/src/bench/<name>.ts, each of which prints its own numbers.
const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && f !== "main.ts" && !f.endsWith(".test.ts"))
  .map((f) => f.replace(/\.ts$/, ""));
const [name, ...args] = process.argv.slice(2);

if (!name || !available.includes(name)) {
  console.error(`${name ? `No bench "${name}". ` : ""}Usage: pnpm bench <name> [options]`);
  console.error(`Benches: ${available.join(", ")}`);
  process.exit(2);
}
process.argv = [process.argv[0] ?? "node", `${name}.ts`, ...args];
await import(pathToFileURL(`${here}/${name}.ts`).href);
