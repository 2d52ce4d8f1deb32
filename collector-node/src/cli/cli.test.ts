import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { emptyRow, ndjsonLines } from "@sightline/edge";
import { describe, expect, it } from "vitest";
import { HELP } from "./help.ts";
import { COMMANDS } from "./run.ts";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

// Each run is its own process: embedded ClickHouse allows one process per data folder at a time.
function cli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** A spool line as the collectors write it (the shipper finds bots by the writer's marker). */
function line(id: string, bot: 0 | 1 = 0): string {
  const ts = new Date().toISOString().slice(0, 23).replace("T", " ");
  const row = { ...emptyRow(), event_id: id, site_id: "cli.test", ts, client_ts: ts };
  return ndjsonLines([{ ...row, name: "pageview", visitor_id: `v-${id}`, is_bot: bot }]);
}

describe("sightline CLI", () => {
  it("prints help, and names bad commands and options with a usage exit code", async () => {
    const help = await cli(["--help"], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Commands:[\s\S]*migrate[\s\S]*ship[\s\S]*replay[\s\S]*stats/);
    const unknown = await cli(["launch"], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "launch"/);
    const badDay = await cli(["rollups", "check", "--from", "yesterday"], {
      SIGHTLINE_DATA_DIR: mkdtempSync(join(tmpdir(), "sl-cli-")),
    });
    expect(badDay.code).toBe(2);
    expect(badDay.stderr).toMatch(/--from: "yesterday" is not a date/);
    const badSetting = await cli(["stats"], { SIGHTLINE_SHIPPER_SHIPPED_FILES: "shred" });
    expect(badSetting.code).toBe(78);
    expect(badSetting.stderr).toMatch(/shipper.shippedFiles/);
  }, 60_000);

  it("gives every command its own --help", async () => {
    expect(Object.keys(HELP).sort()).toEqual(Object.keys(COMMANDS).sort());
    for (const name of Object.keys(COMMANDS)) {
      const own = await cli([name, "--help"], {});
      expect(own.code, name).toBe(0);
      expect(own.stdout, name).toMatch(new RegExp(`^Usage: sightline ${name}\\b`));
      expect(own.stdout).toMatch(/Settings and data folder: the server's/);
    }
    const viaHelp = await cli(["help", "backup"], {});
    expect(viaHelp.stdout).toBe(`${HELP.backup}\n`);
    expect((await cli(["--help"], {})).stdout).toMatch(/backup <dir>[\s\S]*restore <dir>/);
  }, 120_000);

  it("says in one sentence who holds the engine, never the engine's raw lock error", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sl-cli-"));
    const env = { SIGHTLINE_DATA_DIR: dataDir };
    // A shipper of its own holds the embedded engine and serves no admin socket.
    const holder = spawn(process.execPath, ["--import", "tsx", MAIN, "ship"], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let seen = "";
        holder.stdout.on("data", (c: Buffer) => {
          seen += c.toString();
          if (seen.includes("shipping")) resolve();
        });
        holder.once("exit", () => reject(new Error(`the shipper exited: ${seen}`)));
      });
      const stats = await cli(["stats"], env);
      expect(stats.code).toBe(2);
      expect(stats.stderr).toBe(
        `sightline: ${join(dataDir, "clickhouse")} is in use by process ${holder.pid} that serves no admin socket (an older server, or another sightline command): stop it, or run this command again once it has finished\n`,
      );
    } finally {
      holder.kill("SIGTERM");
    }
  }, 120_000);

  it("migrates, ships, archives, replays without double counting, checks rollups and sets retention", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sl-cli-"));
    const env = { SIGHTLINE_DATA_DIR: dataDir, SIGHTLINE_SHIPPER_SHIPPED_FILES: "archive" };
    const migrated = await cli(["migrate"], env);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/applied \d+ migration/);

    const spool = join(dataDir, "spool");
    mkdirSync(spool, { recursive: true });
    // A file of a writer that is gone (no such pid), untouched for a minute: sealed.
    const name = "events-00001700000000000-999999999-0000.ndjson";
    const lines =
      ["a", "b", "c", "d", "e"].map((id) => line(`cli-${id}`)).join("") +
      line("cli-bot-1", 1) +
      line("cli-bot-2", 1);
    writeFileSync(join(spool, name), lines);
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(spool, name), old, old);

    const shipped = await cli(["ship", "--once"], env);
    expect(shipped.code).toBe(0);
    expect(shipped.stdout).toMatch(/shipped 5 rows and 2 bot rows \(0 dead-lettered\)/);
    expect(readdirSync(join(spool, "archive"))).toEqual([name]);

    const replayed = await cli(["replay", name], env);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toMatch(/replayed 5 rows and 2 bot rows/);

    const stats = await cli(["stats"], env);
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/0 bytes not yet shipped/);
    expect(stats.stdout).toMatch(/archive .*: 1 file/);
    expect(stats.stdout).toMatch(/sightline\.events: \d+ rows, 5 distinct event ids/);
    expect(stats.stdout).toMatch(/sightline\.bot_events: \d+ rows, 2 distinct event ids/);
    expect(stats.stdout).toMatch(/sightline\.events_hourly: \d+ rows, 5 distinct event ids/);

    const check = await cli(["rollups", "check"], env);
    expect(check.stdout).toMatch(/rollups match the raw events/);
    expect(check.code).toBe(0);

    const missing = await cli(["replay", "events-nope.ndjson"], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file: events-nope.ndjson/);

    const set = await cli(
      ["retention", "set", "cli.test", "--raw-months", "3", "--rollup-months", "24"],
      env,
    );
    expect(set.stderr).toBe("");
    expect(set.code).toBe(0);
    const list = await cli(["retention", "list"], env);
    expect(list.stdout).toMatch(/cli\.test: raw 3 months, rollups 24 months/);
  }, 120_000);
});
