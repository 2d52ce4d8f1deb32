import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { METRICS_AUTH, METRICS_TOKEN, pageview } from "./testing.ts";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const TSX = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));

let child: ChildProcess | null = null;
afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
});

/** One request on a fresh connection, so the cluster spreads them over its workers. */
function post(port: number, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path: "/e", method: "POST", agent: false },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("standalone collector in cluster mode", () => {
  it("runs one worker per setting, each with its own spool files, and sums metrics", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sl-cluster-"));
    const sitesFile = join(dir, "sites.json");
    writeFileSync(sitesFile, JSON.stringify([{ id: "example.com", domains: ["example.com"] }]));
    const output: string[] = [];
    child = spawn(TSX, [MAIN], {
      cwd: dir,
      env: {
        ...process.env,
        SIGHTLINE_DATA_DIR: dir,
        SIGHTLINE_SERVER_PORT: "0",
        SIGHTLINE_SPOOL_FSYNC: "none",
        SIGHTLINE_COLLECTOR_WORKERS: "2",
        SIGHTLINE_COLLECTOR_SITES_FILE: sitesFile,
        SIGHTLINE_COLLECTOR_IP_RATE_PER_SECOND: "0",
        SIGHTLINE_COLLECTOR_METRICS_TOKEN: METRICS_TOKEN,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (d: Buffer) => output.push(d.toString()));
    child.stderr?.on("data", (d: Buffer) => output.push(d.toString()));

    // Port 0 in cluster mode: the workers share the one port the primary's first listen got.
    let port = 0;
    for (let i = 0; i < 300 && port === 0; i++) {
      const listening = output.join("").match(/listening on 127\.0\.0\.1:(\d+)/g) ?? [];
      if (listening.length === 2) port = Number(listening[0]?.split(":").pop());
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(port, output.join("")).toBeGreaterThan(0);

    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        post(
          port,
          JSON.stringify({
            s: "example.com",
            e: [pageview(`cluster-${String(i).padStart(4, "0")}`)],
          }),
        ),
      ),
    );
    expect(statuses.every((s) => s === 204)).toBe(true);

    const files = readdirSync(join(dir, "spool")).filter((f) => f.endsWith(".ndjson"));
    const pids = new Set(files.map((f) => f.split("-")[2]));
    expect(pids.size).toBe(2);

    // Every worker reports to the primary once a second; any worker then serves the sum.
    let accepted = 0;
    for (let i = 0; i < 50 && accepted < 40; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const text = await (
        await fetch(`http://127.0.0.1:${port}/metrics`, { headers: METRICS_AUTH })
      ).text();
      accepted = Number(/^sightline_collector_events_accepted_total (\d+)$/m.exec(text)?.[1] ?? 0);
    }
    expect(accepted).toBe(40);

    const exited = new Promise<number | null>((r) => child?.once("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);
});
