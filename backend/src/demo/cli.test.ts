import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EVENT_COLUMNS } from "@sightline/edge";
import { describe, expect, it } from "vitest";
import { MetaStore } from "../store/store.ts";
import { HELP, parseDemoArgs, runDemo } from "./cli.ts";

const BACKEND = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A data folder and an empty sightline.yaml, so nothing of the developer's own setup leaks in. */
function sandbox(): { dataDir: string; env: NodeJS.ProcessEnv } {
  const dataDir = mkdtempSync(join(tmpdir(), "sl-demo-cli-"));
  const config = join(dataDir, "sightline.yaml");
  writeFileSync(config, "");
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("SIGHTLINE_")) env[key] = value;
  }
  return { dataDir, env: { ...env, SIGHTLINE_CONFIG: config, SIGHTLINE_DATA_DIR: dataDir } };
}

function spoolLines(dataDir: string): string[] {
  const dir = join(dataDir, "spool");
  return readdirSync(dir)
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").slice(0, -1));
}

async function sitesIn(dataDir: string): Promise<string[]> {
  const store = new MetaStore(join(dataDir, "lmdb"));
  try {
    return store
      .listSites()
      .map((s) => s.id)
      .sort();
  } finally {
    await store.close();
  }
}

function demo(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/demo/main.ts", ...args], {
    cwd: BACKEND,
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("parseDemoArgs", () => {
  it("has defaults", () => {
    expect(parseDemoArgs([])).toEqual({
      help: false,
      events: 150_000,
      days: 30,
      seed: null,
      sites: ["shop.example", "blog.example", "docs.example"],
    });
    expect(
      parseDemoArgs(["--events", "10", "--days=7", "--seed", "0", "--sites", "a.test, b.test"]),
    ).toEqual({ help: false, events: 10, days: 7, seed: 0, sites: ["a.test", "b.test"] });
    expect(parseDemoArgs(["-h"]).help).toBe(true);
  });

  it.each([
    [["--events", "-5"], "--events must be a positive integer"],
    [["--events", "0"], "--events must be a positive integer"],
    [["--events", "1e6"], "--events must be a positive integer"],
    [["--events", "ten"], "--events must be a positive integer"],
    [["--events", "100000001"], "--events must be at most 100000000"],
    [["--events"], "--events needs a value"],
    [["--days", "0"], "--days must be a positive integer"],
    [["--days", "366"], "--days must be at most 365"],
    [["--seed", "-1"], "--seed must be an integer from 0 to 4294967295"],
    [["--seed", "4294967296"], "--seed must be an integer from 0 to 4294967295"],
    [["--sites", ""], "--sites needs at least one site id"],
    [["--sites", "ok.test,Bad Site"], '--sites: "Bad Site" is not a valid site id'],
    [["--sites", "a.test,a.test"], '--sites lists "a.test" twice'],
    [["--frobnicate"], "unknown option --frobnicate"],
    [["150000"], 'unexpected argument "150000"'],
  ])("refuses %j", (args, message) => {
    expect(() => parseDemoArgs(args)).toThrow(message);
  });
});

describe("pnpm demo", () => {
  it("creates the sites and writes exactly the events asked for into the spool", () => {
    const { dataDir, env } = sandbox();
    const run = demo(["--events", "5000", "--seed", "9"], env);
    expect(run.stderr).toContain("seed 9");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("demo: wrote 5,000 events in 1 file");
    expect(run.stdout).toContain(
      "The running stack ships them within seconds; if it is not running, start it with `pnpm start`.",
    );
    const lines = spoolLines(dataDir);
    expect(lines).toHaveLength(5000);
    const columns = [...EVENT_COLUMNS].sort();
    for (const line of lines) expect(Object.keys(JSON.parse(line)).sort()).toEqual(columns);
    expect(readdirSync(join(dataDir, "spool")).every((f) => f.endsWith(".ndjson"))).toBe(true);
    return expect(sitesIn(dataDir)).resolves.toEqual([
      "blog.example",
      "docs.example",
      "shop.example",
    ]);
  });

  it("exits 2 with a clear message on a bad value, before touching anything", () => {
    const { dataDir, env } = sandbox();
    const run = demo(["--events", "-5"], env);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("demo: --events must be a positive integer");
    expect(readdirSync(dataDir)).toEqual(["sightline.yaml"]);
  });

  it("exits 78 on bad settings, like the server", async () => {
    const { env } = sandbox();
    const err: string[] = [];
    const code = await runDemo(
      [],
      { out: () => {}, err: (l) => err.push(l) },
      { env: { ...env, SIGHTLINE_SPOOL_MAX_FILE_BYTES: "lots" } },
    );
    expect(code).toBe(78);
    expect(err.join("\n")).toContain("spool.maxFileBytes (from SIGHTLINE_SPOOL_MAX_FILE_BYTES)");
  });

  it("prints its options with --help", async () => {
    const out: string[] = [];
    const code = await runDemo(["--help"], { out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(code).toBe(0);
    expect(out.join("\n")).toBe(HELP.trimEnd());
    for (const option of ["--events <n>", "--days <n>", "--seed <n>", "--sites <list>"]) {
      expect(HELP).toContain(option);
    }
  });

  it("honours spool.maxFileBytes and --sites, and leaves existing sites alone", async () => {
    const { dataDir, env } = sandbox();
    const store = new MetaStore(join(dataDir, "lmdb"));
    store.createSite({ id: "mine.example", name: "Mine", domains: ["mine.example"] });
    await store.close();

    const out: string[] = [];
    const err: string[] = [];
    const code = await runDemo(
      ["--events", "3000", "--days", "3", "--sites", "mine.example,help.example"],
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      { env: { ...env, SIGHTLINE_SPOOL_MAX_FILE_BYTES: "400000" }, cwd: dataDir },
    );
    expect(code).toBe(0);
    expect(err[0]).toContain("mine.example (shop), help.example (docs, created)");
    const spool = join(dataDir, "spool");
    const files = readdirSync(spool);
    expect(files.length).toBeGreaterThan(4);
    for (const file of files) expect(statSync(join(spool, file)).size).toBeLessThanOrEqual(400_000);
    const rows = spoolLines(dataDir).map((l) => JSON.parse(l) as { site_id: string });
    expect(rows).toHaveLength(3000);
    expect(new Set(rows.map((r) => r.site_id))).toEqual(new Set(["mine.example", "help.example"]));

    const reopened = new MetaStore(join(dataDir, "lmdb"));
    try {
      expect(reopened.getSite("mine.example")?.name).toBe("Mine");
      expect(reopened.getSite("help.example")?.domains).toEqual([
        "help.example",
        "www.help.example",
      ]);
    } finally {
      await reopened.close();
    }
  });

  it("stays under spool.maxBytes, waiting for the shipper to make room", async () => {
    const { dataDir, env } = sandbox();
    const spool = join(dataDir, "spool");
    // A stand-in shipper that only ships once the demo says it waits: takes whole .ndjson files
    // away, like the real one after shipping.
    let asked = false;
    let shipped = 0;
    let largest = 0;
    const ship = setInterval(() => {
      if (!asked) return;
      asked = false;
      const files = readdirSync(spool).filter((f) => f.endsWith(".ndjson"));
      const bytes = files.reduce((sum, f) => sum + statSync(join(spool, f)).size, 0);
      largest = Math.max(largest, bytes);
      for (const file of files) {
        shipped += readFileSync(join(spool, file), "utf8").split("\n").length - 1;
        rmSync(join(spool, file));
      }
    }, 100);
    const err: string[] = [];
    try {
      const code = await runDemo(
        ["--events", "12000", "--seed", "4"],
        {
          out: () => {},
          err: (l) => {
            err.push(l);
            if (l.includes("waiting for the shipper")) asked = true;
          },
        },
        {
          env: {
            ...env,
            SIGHTLINE_SPOOL_MAX_BYTES: "4000000",
            SIGHTLINE_SPOOL_MAX_FILE_BYTES: "1000000",
          },
          cwd: dataDir,
        },
      );
      expect(code).toBe(0);
    } finally {
      clearInterval(ship);
    }
    for (const file of readdirSync(spool).filter((f) => f.endsWith(".ndjson"))) {
      shipped += readFileSync(join(spool, file), "utf8").split("\n").length - 1;
    }
    expect(shipped).toBe(12_000);
    // 75% of spool.maxBytes.
    expect(largest).toBeLessThanOrEqual(3_000_000);
    // About 9 MB through a 3 MB budget: the demo waited more than once.
    expect(err.filter((l) => l.includes("waiting for the shipper")).length).toBeGreaterThan(1);
    expect(err.filter((l) => l.includes("caught up")).length).toBeGreaterThan(1);
  });
});
