import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readDockerfile } from "./dockerfile.ts";

// docker-compose.yml rendered by Debian's docker-compose 1.29 (`config` needs no engine), then
// checked against the code: images pinned, build targets that exist, Vector and the collector on
// one spool volume where each expects it, secrets only from the env file.

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DIR = join(ROOT, "ops/compose");
const COMPOSE = process.env.DOCKER_COMPOSE_PATH ?? "/usr/bin/docker-compose";

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; target: string };
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  command?: string[];
}

function config(env: Record<string, string>) {
  return spawnSync(COMPOSE, ["config"], {
    cwd: DIR,
    env: { ...process.env, SIGHTLINE_ENV_FILE: ".env.example", ...env },
    encoding: "utf8",
  });
}

describe("ops/compose/docker-compose.yml", () => {
  it("renders with docker-compose config, and not without a ClickHouse password", () => {
    expect(existsSync(COMPOSE), "run node scripts/ensure-test-deps.mjs").toBe(true);
    expect(execFileSync(COMPOSE, ["version", "--short"], { encoding: "utf8" })).toMatch(/^1\.29\./);
    const missing = config({ CLICKHOUSE_PASSWORD: "" });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/set CLICKHOUSE_PASSWORD in \.env/);

    const rendered = config({ CLICKHOUSE_PASSWORD: "ci-placeholder-password" });
    expect(rendered.stderr).toBe("");
    expect(rendered.status).toBe(0);
    const doc = parse(rendered.stdout) as {
      services: Record<string, Service>;
      volumes: Record<string, unknown>;
    };
    const { clickhouse, backend, collector, vector } = doc.services;
    expect(Object.keys(doc.services).sort()).toEqual([
      "backend",
      "clickhouse",
      "collector",
      "vector",
    ]);

    // Pinned images: ClickHouse at the engine version embedded mode runs (chdb's libchdb).
    const lib = JSON.parse(
      readFileSync(join(ROOT, "config/node_modules/chdb/package.json"), "utf8"),
    ).optionalDependencies["@chdb/lib-linux-x64-gnu"] as string;
    const engine = lib.split(".").slice(0, 2).join(".");
    expect(clickhouse?.image).toBe(`clickhouse/clickhouse-server:${engine}`);
    // Vector at the version config/README.md says vector.yaml targets.
    const vectorVersion = /Vector (\d+\.\d+)\.x/.exec(
      readFileSync(join(ROOT, "config/README.md"), "utf8"),
    )?.[1];
    expect(vector?.image).toMatch(
      new RegExp(`^timberio/vector:${vectorVersion?.replace(".", "\\.")}\\.\\d+-debian$`),
    );
    expect(vector?.command).toEqual(["--config", "/etc/vector/vector.yaml"]);

    // Build targets that exist in the Dockerfile, built from the repository root.
    const targets = readDockerfile(join(ROOT, "ops/docker/Dockerfile")).map((s) => s.name);
    for (const [name, service] of [
      ["backend", backend],
      ["collector", collector],
    ] as const) {
      expect(service?.build?.context, name).toBe(ROOT.replace(/\/$/, ""));
      expect(targets, name).toContain(service?.build?.target);
      expect(service?.build?.target).toBe(name);
    }

    // Vector and the collector share the spool: the collector writes SIGHTLINE_SPOOL_DIR, Vector
    // reads ${SIGHTLINE_DATA_DIR}/spool/*.ndjson (config/vector/vector.yaml), on one volume.
    const vectorYaml = readFileSync(join(ROOT, "config/vector/vector.yaml"), "utf8");
    expect(vectorYaml).toContain(`"$\{SIGHTLINE_DATA_DIR:-./data}/spool/*.ndjson"`);
    const spoolDir = collector?.environment?.SIGHTLINE_SPOOL_DIR;
    expect(spoolDir).toBe(`${vector?.environment?.SIGHTLINE_DATA_DIR}/spool`);
    /** The volume at the deepest mount point that holds `path` (mounts nest). */
    const mount = (service: Service | undefined, path: string) =>
      (service?.volumes ?? [])
        .map((v) => v.split(":"))
        .filter(([, at]) => at !== undefined && (path === at || path.startsWith(`${at}/`)))
        .sort((a, b) => (b[1]?.length ?? 0) - (a[1]?.length ?? 0))[0]?.[0];
    expect(mount(collector, spoolDir ?? "")).toBe("edge-spool");
    expect(mount(vector, spoolDir ?? "")).toBe("edge-spool");
    expect(mount(vector, "/etc/vector/vector.yaml")).toBe(join(ROOT, "config/vector/vector.yaml"));
    // The collector reads sites and salts from the backend's data folder.
    expect(mount(collector, "/var/lib/sightline/lmdb")).toBe("sightline-data");
    expect(mount(backend, "/var/lib/sightline/lmdb")).toBe("sightline-data");
    expect(Object.keys(doc.volumes).sort()).toEqual([
      "clickhouse-data",
      "edge-spool",
      "sightline-data",
    ]);

    // ClickHouse over HTTP by service name, with the env file's credentials everywhere.
    expect(backend?.environment?.SIGHTLINE_CLICKHOUSE_URL).toBe("http://clickhouse:8123");
    expect(vector?.environment?.CLICKHOUSE_URL).toBe("http://clickhouse:8123");
    for (const value of [
      clickhouse?.environment?.CLICKHOUSE_PASSWORD,
      backend?.environment?.SIGHTLINE_CLICKHOUSE_PASSWORD,
      vector?.environment?.CLICKHOUSE_PASSWORD,
    ])
      expect(value).toBe("ci-placeholder-password");
    expect(backend?.depends_on?.clickhouse?.condition).toBe("service_healthy");
    // Only loopback ports: a reverse proxy on the host is the way in.
    for (const service of [backend, collector])
      for (const port of service?.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:\d+:8080\/tcp$/);
  });
});
