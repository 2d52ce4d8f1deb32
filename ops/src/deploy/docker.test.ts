import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ValidationSeverity, validate } from "dockerfile-utils";
import { describe, expect, it } from "vitest";
import { copyParts, execForm, lineage, readDockerfile } from "./dockerfile.ts";

// The images cannot be built here (no Docker engine, no image pulls), so the Dockerfile is
// checked without building: dockerfile-utils' linter (the validator behind VS Code's Dockerfile
// support) with every rule an error, then our own rules: every path it copies and every file its
// commands run exists in the repository, final images hold production dependencies only, run as
// a non-root user, and probe endpoints the code serves.

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DOCKERFILE = join(ROOT, "ops/docker/Dockerfile");
const TARGETS = ["collector", "all-in-one", "backend"];
const stages = readDockerfile(DOCKERFILE);
const rootPackage = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const pnpmVersion: string = rootPackage.devDependencies.pnpm;

const ERRORS = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
};

/** .dockerignore patterns as regular expressions over repository paths. */
const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"))
  .map(
    (p) =>
      new RegExp(
        `^${p
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*\*\//g, "(?:.*/)?")
          .replace(/\*/g, "[^/]*")}(?:/|$)`,
      ),
  );

/** A path inside an image (/app/x or /src/x) → the repository path it comes from. */
const repoPath = (path: string) => path.replace(/^\/(app|src)\//, "");

function packageJson(dir: string): {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
} {
  return JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8"));
}

/** `/app/<pkg>/node_modules/<dep>/<file>`: a production dependency of <pkg>, and the file exists. */
function checkRuntimeFile(path: string, where: string): void {
  const dep = /^\/app\/([\w-]+)\/node_modules\/((?:@[\w-]+\/)?[\w.-]+)\/(.+)$/.exec(path);
  if (dep) {
    const [, pkg = "", name = "", file = ""] = dep;
    expect(
      packageJson(pkg).dependencies?.[name],
      `${where}: ${name} in ${pkg}'s dependencies`,
    ).toBeTruthy();
    expect(existsSync(join(ROOT, pkg, "node_modules", name, file)), `${where}: ${path}`).toBe(true);
    return;
  }
  expect(path, where).toMatch(/^\/app\//);
  expect(existsSync(join(ROOT, repoPath(path))), `${where}: ${path} is in the repository`).toBe(
    true,
  );
}

describe("ops/docker/Dockerfile", () => {
  it("passes the linter with every rule an error (and the linter does catch problems)", () => {
    const text = readFileSync(DOCKERFILE, "utf8");
    expect(validate(text, ERRORS)).toEqual([]);
    const bad = validate("FROM node:20\nrun echo hi\nCMD ['node']\nCMD [\"node\"]\n", ERRORS);
    expect(bad.length).toBeGreaterThanOrEqual(3);
  });

  it("has the three targets, each from pinned images", () => {
    const names = stages.map((s) => s.name);
    for (const target of TARGETS) expect(names).toContain(target);
    const arg = /ARG NODE_IMAGE=(\S+)/.exec(readFileSync(DOCKERFILE, "utf8"))?.[1] ?? "";
    expect(arg).toMatch(/^node:20\.\d+-bookworm-slim$/);
    for (const stage of stages) {
      // `${NODE_IMAGE}`: the ARG above.
      const image = stage.from.startsWith("$") ? arg : stage.from;
      if (names.includes(image)) continue;
      expect(image, stage.name).toMatch(/:[\w.-]+$/);
      expect(image, stage.name).not.toMatch(/:latest$/);
    }
  });

  it("copies only paths that exist in the repository and that .dockerignore keeps", () => {
    for (const stage of stages) {
      for (const ins of stage.instructions.filter((i) => i.keyword === "COPY")) {
        const { from, sources } = copyParts(ins.args);
        const where = `line ${ins.line} (${stage.name})`;
        if (from) {
          // From an earlier stage: a package's dist (built by the root build) or node_modules.
          expect(
            stages.map((s) => s.name),
            where,
          ).toContain(from);
          for (const source of sources) {
            const path = repoPath(source);
            const dist = /^([\w-]+)\/dist$/.exec(path);
            if (dist) {
              expect(packageJson(dist[1] ?? "").scripts?.build, where).toBeTruthy();
              expect(rootPackage.scripts.build, where).toContain(`@sightline/${dist[1]}`);
              const built = lineage(stages, from).flatMap((s) => s.instructions);
              expect(
                built.some((i) => i.keyword === "RUN" && /pnpm@[\d.]+ build\b/.test(i.args)),
                `${where}: ${from} runs the build`,
              ).toBe(true);
            } else {
              expect(path, where).toMatch(/^(?:([\w-]+)\/)?node_modules$/);
              const pkg = path.split("/")[0] ?? "";
              if (pkg !== "node_modules")
                expect(existsSync(join(ROOT, pkg, "package.json")), where).toBe(true);
            }
          }
          continue;
        }
        for (const source of sources) {
          expect(existsSync(join(ROOT, source)), `${where}: ${source} exists`).toBe(true);
          for (const pattern of ignored)
            expect(source, `${where}: ${source} is ignored`).not.toMatch(pattern);
        }
      }
    }
  });

  it("runs pnpm at the pinned version, and only scripts that exist", () => {
    const runs = stages.flatMap((s) => s.instructions.filter((i) => i.keyword === "RUN"));
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      for (const m of run.args.matchAll(/npx --yes pnpm@(\S+) (\w+)/g)) {
        expect(m[1], `line ${run.line}`).toBe(pnpmVersion);
        if (m[2] !== "install")
          expect(rootPackage.scripts[m[2] ?? ""], `pnpm ${m[2]}`).toBeTruthy();
      }
      for (const m of run.args.matchAll(/(\/app\/\S+\.(?:sh|mjs|ts))/g))
        checkRuntimeFile(m[1] ?? "", `line ${run.line}`);
    }
    expect(readFileSync(join(ROOT, ".ci/run"), "utf8")).toContain(`pnpm@${pnpmVersion}`);
    // The CLI wrapper it links onto the PATH runs files that exist, and is executable.
    const wrapper = readFileSync(join(ROOT, "ops/docker/sightline.sh"), "utf8");
    for (const m of wrapper.matchAll(/(\/app\/\S+)/g)) checkRuntimeFile(m[1] ?? "", "sightline.sh");
    expect(statSync(join(ROOT, "ops/docker/sightline.sh")).mode & 0o111).not.toBe(0);
  });

  it("builds final images from production dependencies only, as a non-root user", () => {
    const prodStages = new Set(
      stages
        .filter((s) =>
          s.instructions.some((i) => i.keyword === "RUN" && /install .*--prod\b/.test(i.args)),
        )
        .map((s) => s.name),
    );
    expect(prodStages).toEqual(new Set(["prod-deps"]));
    for (const target of TARGETS) {
      const chain = lineage(stages, target);
      const instructions = chain.flatMap((s) => s.instructions);
      for (const ins of instructions.filter((i) => i.keyword === "COPY")) {
        const { from, sources } = copyParts(ins.args);
        if (from && sources.some((s) => s.endsWith("node_modules")))
          expect(
            prodStages.has(from),
            `${target}: line ${ins.line} copies dependencies from ${from}`,
          ).toBe(true);
      }
      // No stage of the chain installs anything itself.
      expect(instructions.some((i) => i.keyword === "RUN" && /pnpm|npm install/.test(i.args))).toBe(
        false,
      );
      const user = chain.flatMap((s) => s.instructions.filter((i) => i.keyword === "USER"))[0];
      expect(user?.args, target).toBe("node");
    }
  });

  it("starts real entry points and probes endpoints the code serves", () => {
    const backendHealth = readFileSync(join(ROOT, "backend/src/routes/health.ts"), "utf8");
    const collectorRoutes = readFileSync(
      join(ROOT, "collector-node/src/server/handler.ts"),
      "utf8",
    );
    const settings = readFileSync(join(ROOT, "config/src/settings.ts"), "utf8");
    const defaultPort = /port: z\.number\(\)[^\n]*\.default\((\d+)\)/.exec(settings)?.[1];
    for (const target of TARGETS) {
      const chain = lineage(stages, target);
      const nearest = (keyword: string) =>
        chain.flatMap((s) => s.instructions.filter((i) => i.keyword === keyword))[0];
      const cmd = execForm(nearest("CMD")?.args ?? "");
      expect(cmd[0], target).toBe("node");
      for (const arg of cmd.slice(1).filter((a) => a.startsWith("/")))
        checkRuntimeFile(arg, `${target} CMD`);
      const health = nearest("HEALTHCHECK");
      const probe = execForm(health?.args ?? "");
      checkRuntimeFile(probe[1] ?? "", `${target} HEALTHCHECK`);
      const path = probe[2] ?? "";
      const served = target === "collector" ? collectorRoutes : backendHealth;
      expect(served, `${target} serves ${path}`).toContain(`"${path}"`);
      expect(nearest("EXPOSE")?.args, target).toBe(defaultPort);
      const env = chain
        .flatMap((s) => s.instructions.filter((i) => i.keyword === "ENV"))
        .map((i) => i.args)
        .join(" ");
      expect(env).toContain(`SIGHTLINE_SERVER_PORT=${defaultPort}`);
      expect(env).toContain("SIGHTLINE_SERVER_HOST=0.0.0.0");
    }
  });
});
