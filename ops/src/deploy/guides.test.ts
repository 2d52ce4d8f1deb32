import { execFileSync, spawn } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

// The deployment guides, followed command by command where this machine allows: every ```sh
// block marked `runnable` runs, in order, one bash per guide (`set -euo pipefail`), starting at
// the root of a copy of the repository (its files as git sees them, with the installed
// node_modules and built dist linked in), so a guide that writes files (.env, rendered
// manifests) changes nothing here. Blocks without the mark need what CI lacks (a Docker engine,
// a cluster, a Cloudflare account) and are only checked for links.

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const GUIDES = join(ROOT, "docs/deploy");
const RUNNABLE_GUIDES = ["backups.md", "cloudflare.md", "compose.md", "kubernetes.md", "tls.md"];

interface Block {
  lang: string;
  runnable: boolean;
  text: string;
}

export function blocks(markdown: string): Block[] {
  const found: Block[] = [];
  for (const m of markdown.matchAll(/^( *)```(\w*)([^\n]*)\n([\s\S]*?)^\1```/gm)) {
    const indent = m[1]?.length ?? 0;
    const text = (m[4] ?? "")
      .split("\n")
      .map((l) => l.slice(indent))
      .join("\n");
    found.push({ lang: m[2] ?? "", runnable: /\brunnable\b/.test(m[3] ?? ""), text });
  }
  return found;
}

let copy: string;

/** The repository as git sees it (tracked and untracked, not ignored), dependencies linked in. */
function copyRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), "sl-guides-"));
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter((f) => f && existsSync(join(ROOT, f)));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  const linked = ["node_modules", "tracker/dist", "frontend/dist"];
  for (const pkg of readdirSync(ROOT))
    if (existsSync(join(ROOT, pkg, "package.json")) && existsSync(join(ROOT, pkg, "node_modules")))
      linked.push(`${pkg}/node_modules`);
  for (const path of linked)
    if (existsSync(join(ROOT, path))) symlinkSync(join(ROOT, path), join(dir, path));
  return dir;
}

function runGuide(name: string, script: string): Promise<{ code: number | null; output: string }> {
  // GUIDES_TRACE=1 prints each command with the time it started.
  const trace = process.env.GUIDES_TRACE ? "PS4='+ $(date +%T.%N) '; set -x\n" : "";
  const child = spawn("bash", ["-c", `set -euo pipefail\n${trace}${script}`], {
    cwd: copy,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    // pnpm would otherwise install into the copy (whose node_modules are the real ones) first.
    env: { ...process.env, CI: "true", npm_config_verify_deps_before_run: "false" },
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => process.kill(-(child.pid ?? 0), "SIGKILL"), 170_000);
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      clearTimeout(timer);
      // Whatever a guide left running in the background (a stack) ends with it.
      try {
        process.kill(-(child.pid ?? 0), "SIGTERM");
      } catch {}
      resolve({ code, output: `${name}:\n${output}` });
    }),
  );
}

beforeAll(() => {
  // The guides start the stack, which would rebuild a stale build (and cannot in a copy).
  const stamp = join(ROOT, "scripts/build-stamp.mjs");
  try {
    execFileSync(process.execPath, [stamp, "check"], { cwd: ROOT, encoding: "utf8" });
  } catch (error) {
    throw new Error(
      `the build is stale: run pnpm build first (${(error as { stdout?: string }).stdout?.trim()})`,
    );
  }
  copy = copyRepository();
});

describe("docs/deploy guides", () => {
  it("link only to files that exist", () => {
    for (const name of readdirSync(GUIDES).filter((f) => f.endsWith(".md"))) {
      const text = readFileSync(join(GUIDES, name), "utf8");
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = (m[1] ?? "").split("#")[0] ?? "";
        if (!target || /^[a-z]+:/.test(target)) continue;
        expect(existsSync(join(GUIDES, target)), `${name}: ${m[1]}`).toBe(true);
      }
    }
  });

  it("create the Secret keys the manifests read", () => {
    const guide = readFileSync(join(GUIDES, "kubernetes.md"), "utf8");
    const created = new Set([...guide.matchAll(/--from-literal=([\w-]+)=/g)].map((m) => m[1]));
    const manifests = execFileSync(
      "grep",
      ["-rhoE", "sightline-secrets(, key: |/)[a-z-]+", join(ROOT, "ops/k8s")],
      { encoding: "utf8" },
    );
    const used = new Set(
      [...manifests.matchAll(/sightline-secrets(?:, key: |\/)([a-z-]+)/g)].map((m) => m[1]),
    );
    expect([...used].sort()).toEqual([
      "admin-email",
      "admin-password",
      "clickhouse-password",
      "jwt-secret",
    ]);
    for (const key of used) expect(created, `${key}`).toContain(key);
  });

  it.each(RUNNABLE_GUIDES)(
    "%s runs as written",
    async (name) => {
      const runnable = blocks(readFileSync(join(GUIDES, name), "utf8")).filter((b) => b.runnable);
      expect(runnable.length, `${name} has runnable blocks`).toBeGreaterThan(0);
      for (const block of runnable) expect(block.lang).toBe("sh");
      const { code, output } = await runGuide(name, runnable.map((b) => b.text).join("\n"));
      if (process.env.GUIDES_TRACE) console.log(output);
      expect(code, output).toBe(0);
    },
    180_000,
  );
});
