import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
export const EDGE = fileURLToPath(new URL("../../../", import.meta.url));
const WRANGLER = join(EDGE, "node_modules", "wrangler", "bin", "wrangler.js");

/** The Worker as `wrangler deploy --dry-run` bundles it, with no network. */
export async function bundleWorker(): Promise<{ outdir: string; stdout: string }> {
  const outdir = mkdtempSync(join(tmpdir(), "sightline-wrangler-"));
  const { stdout } = await run(
    process.execPath,
    [WRANGLER, "deploy", "--dry-run", "--outdir", outdir],
    {
      cwd: EDGE,
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        CI: "true",
      },
      timeout: 120_000,
    },
  );
  return { outdir, stdout };
}
