// The build stamp: which sources each served build was made from, so `pnpm start` reuses a build
// whose sources have not changed instead of rebuilding for 15 s.
//   node scripts/build-stamp.mjs write   after a build: record sources and outputs in each dist
//   node scripts/build-stamp.mjs check   exit 0 when every build is current, 1 (saying why) if not
// A stamp holds a hash of the package's inputs (sources, build configs, the lockfile) and one of
// its dist files, so an edited source, a partial rebuild or a deleted output all count as stale.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

// SIGHTLINE_BUILD_ROOT: another workspace-shaped folder (tests use a small copy).
const ROOT = process.env.SIGHTLINE_BUILD_ROOT ?? fileURLToPath(new URL("..", import.meta.url));
const STAMP = ".build-stamp.json";

/** What each served build is made from (paths from the workspace root; folders are walked). */
export const BUILDS = {
  tracker: {
    dist: "tracker/dist",
    inputs: [
      "tracker/src",
      "tracker/rollup.config.mjs",
      "tracker/package.json",
      "tracker/tsconfig.json",
    ],
  },
  frontend: {
    dist: "frontend/dist",
    inputs: [
      "frontend/src",
      "frontend/index.html",
      "frontend/public",
      "frontend/scripts",
      "frontend/vite.config.ts",
      "frontend/package.json",
      "frontend/tsconfig.json",
    ],
  },
};
/** Inputs of every build: dependency versions and the shared compiler settings. */
const SHARED = ["pnpm-lock.yaml", "tsconfig.base.json"];
/** Tests are not part of a bundle. */
const SKIP = /\.test\.tsx?$|(^|\/)node_modules(\/|$)/;

function* walk(path) {
  if (!existsSync(path)) return;
  if (!statSync(path).isDirectory()) {
    yield path;
    return;
  }
  for (const name of readdirSync(path).sort()) yield* walk(join(path, name));
}

function hashFiles(paths, skip) {
  const hash = createHash("sha256");
  let files = 0;
  for (const top of paths) {
    for (const file of walk(join(ROOT, top))) {
      const rel = relative(ROOT, file);
      if (skip(rel)) continue;
      hash.update(`${rel}\0`).update(readFileSync(file)).update("\0");
      files++;
    }
  }
  return { hash: hash.digest("hex"), files };
}

const inputsOf = (build) => hashFiles([...build.inputs, ...SHARED], (rel) => SKIP.test(rel));
const outputsOf = (build) => hashFiles([build.dist], (rel) => rel === join(build.dist, STAMP));

/** Why the build is stale, or null when it is current. */
export function staleness(name) {
  const build = BUILDS[name];
  const file = join(ROOT, build.dist, STAMP);
  if (!existsSync(file)) return `${build.dist} has no build stamp`;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return `${build.dist}/${STAMP} is unreadable`;
  }
  if (stamp.inputs !== inputsOf(build).hash) return `${name} sources changed since the last build`;
  if (stamp.outputs !== outputsOf(build).hash) return `${build.dist} changed since it was stamped`;
  return null;
}

function write() {
  for (const [name, build] of Object.entries(BUILDS)) {
    if (!existsSync(join(ROOT, build.dist))) {
      console.error(`build-stamp: ${build.dist} does not exist: build ${name} first`);
      process.exit(1);
    }
    const inputs = inputsOf(build);
    const stamp = { inputs: inputs.hash, outputs: outputsOf(build).hash, files: inputs.files };
    writeFileSync(join(ROOT, build.dist, STAMP), `${JSON.stringify(stamp)}\n`);
  }
}

function check() {
  const stale = Object.keys(BUILDS)
    .map(staleness)
    .filter((why) => why !== null);
  if (stale.length === 0) {
    console.log("build is up to date: reusing tracker/dist and frontend/dist");
    return 0;
  }
  console.log(`building: ${stale.join("; ")}`);
  return 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command] = process.argv.slice(2);
  if (command === "write") write();
  else if (command === "check") process.exitCode = check();
  else {
    console.error("usage: node scripts/build-stamp.mjs write|check");
    process.exitCode = 2;
  }
}
