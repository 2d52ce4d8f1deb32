// The test suite drives Debian's Chromium, runs Debian's nginx and Caddy as the proxy in front of
// the stack, renders Compose files with docker-compose and Kubernetes overlays with kubectl.
// Install whatever is missing (as root, with apt-get), or say how.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Debian package for each binary the tests run. kubectl: Debian's kubernetes-client. */
const NEEDED = [
  { path: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", pkg: "chromium", why: "browser tests" },
  {
    path: process.env.NGINX_PATH ?? "/usr/sbin/nginx",
    pkg: "nginx",
    why: "the nginx proxy recipe",
  },
  { path: process.env.CADDY_PATH ?? "/usr/bin/caddy", pkg: "caddy", why: "the Caddy proxy recipe" },
  { path: "/usr/bin/docker-compose", pkg: "docker-compose", why: "docker-compose config" },
  { path: "/usr/bin/kubectl", pkg: "kubernetes-client", why: "kubectl kustomize" },
];

const missing = NEEDED.filter((n) => !existsSync(n.path));
if (missing.length === 0) process.exit(0);

const pkgs = missing.map((m) => m.pkg);
if (process.getuid?.() !== 0) {
  for (const m of missing) console.error(`${m.path} is missing (${m.why}).`);
  console.error(
    `Install them with: sudo apt-get install -y --no-install-recommends ${pkgs.join(" ")}`,
  );
  console.error("(or point CHROMIUM_PATH, NGINX_PATH, CADDY_PATH at the binaries)");
  process.exit(1);
}
console.log(`Installing Debian's ${pkgs.join(", ")} for the tests (apt-get)...`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...pkgs], {
  stdio: "inherit",
  env,
});
// Debian starts nginx as a service on install; the tests run their own, on other ports.
if (pkgs.includes("nginx")) {
  try {
    execFileSync("nginx", ["-s", "stop"], { stdio: "ignore" });
  } catch {
    // not running: fine
  }
}
const still = missing.filter((m) => !existsSync(m.path));
if (still.length) {
  console.error(`apt-get finished but ${still.map((m) => m.path).join(", ")} is still missing`);
  process.exit(1);
}
