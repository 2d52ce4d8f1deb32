import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("../../../scripts/build-stamp.mjs", import.meta.url));

function stamp(root: string, command: "write" | "check") {
  const run = spawnSync(process.execPath, [SCRIPT, command], {
    env: { ...process.env, SIGHTLINE_BUILD_ROOT: root },
    encoding: "utf8",
  });
  return { code: run.status, out: run.stdout + run.stderr };
}

function put(root: string, path: string, text: string) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe("pnpm start's build stamp", () => {
  it("reuses a build whose sources and outputs are unchanged, and rebuilds otherwise", () => {
    const root = mkdtempSync(join(tmpdir(), "sl-stamp-"));
    put(root, "pnpm-lock.yaml", "lockfileVersion: '9.0'\n");
    put(root, "tracker/src/index.ts", "export const a = 1;\n");
    put(root, "tracker/dist/s.js", "var a=1;");
    put(root, "frontend/src/main.tsx", "export {};\n");
    put(root, "frontend/src/main.test.tsx", "test\n");
    put(root, "frontend/dist/index.html", "<!doctype html>");

    expect(stamp(root, "check")).toEqual({
      code: 1,
      out: "building: tracker/dist has no build stamp; frontend/dist has no build stamp\n",
    });
    expect(stamp(root, "write").code).toBe(0);
    expect(stamp(root, "check")).toEqual({
      code: 0,
      out: "build is up to date: reusing tracker/dist and frontend/dist\n",
    });

    // A test file is not part of the bundle.
    put(root, "frontend/src/main.test.tsx", "another test\n");
    expect(stamp(root, "check").code).toBe(0);

    put(root, "tracker/src/index.ts", "export const a = 2;\n");
    expect(stamp(root, "check")).toEqual({
      code: 1,
      out: "building: tracker sources changed since the last build\n",
    });
    put(root, "tracker/src/index.ts", "export const a = 1;\n");
    expect(stamp(root, "check").code).toBe(0);

    // A dependency upgrade changes every build.
    put(root, "pnpm-lock.yaml", "lockfileVersion: '9.0'\n# upgraded\n");
    expect(stamp(root, "check").out).toMatch(/tracker sources changed.*frontend sources changed/);
    put(root, "pnpm-lock.yaml", "lockfileVersion: '9.0'\n");

    // Outputs rebuilt from other sources, or removed, are not reused either.
    put(root, "frontend/dist/index.html", "<!doctype html><p>other");
    expect(stamp(root, "check").out).toBe("building: frontend/dist changed since it was stamped\n");
    rmSync(join(root, "frontend/dist"), { recursive: true });
    expect(stamp(root, "check").out).toBe("building: frontend/dist has no build stamp\n");
  });
});
