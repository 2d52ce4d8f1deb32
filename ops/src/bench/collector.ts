import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

// `pnpm bench collector`: the standalone collector (cluster mode) under wrk on loopback, with
// ~1 KB events, single-event requests and 10-event batches, beside Debian nginx's `return 204`
// measured in the same run. Installs wrk and nginx with apt when missing (as root).

const { values: opts } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    threads: { type: "string", default: "2" },
    fsync: { type: "string", default: "batch" },
  },
});
const DURATION = Number(opts.duration);
const CONNECTIONS = Number(opts.connections);
const THREADS = Number(opts.threads);
const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const NGINX = "/usr/sbin/nginx";

function have(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;
}

function ensureTools(): void {
  const missing = [!have("wrk") && "wrk", !existsSync(NGINX) && "nginx"].filter(
    Boolean,
  ) as string[];
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing ${missing.join(" and ")}: run as root or apt-get install ${missing.join(" ")}`,
    );
  }
  console.log(`installing ${missing.join(", ")} with apt...`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () =>
    spawnSync("apt-get", ["install", "-y", "-qq", ...missing], { env, stdio: "inherit" }).status;
  if (install() !== 0) {
    execFileSync("apt-get", ["update", "-qq"], { env, stdio: "inherit" });
    if (install() !== 0) throw new Error(`apt-get install ${missing.join(" ")} failed`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

/** A wrk script posting `events` ~1 KB events per request, each with an id unique in the run. */
function wrkScript(events: number, now: number): string {
  const ua =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
  // Padding brings one event to about 1 KB of JSON.
  const pad = "x".repeat(350);
  return `
local threads = {}
local counter = 0
local tid = 0
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  tid = wrk.thread:get("tid") or 0
end
local function event()
  counter = counter + 1
  return string.format('{"i":"bench-%d-%d","n":"pageview","t":${now},"u":"https://bench.test/pricing/plans?utm_source=newsletter&utm_medium=email&utm_campaign=launch","r":"https://www.google.com/","v":"visitor-%d","x":"session-%d","l":"en-GB","p":{"plan":"pro","a":"${pad}","b":"${pad}"}}', tid, counter, counter % 5000, counter % 5000)
end
request = function()
  local parts = {}
  for k = 1, ${events} do parts[k] = event() end
  local body = '{"s":"bench.test","sv":"bench","e":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", "/e", {
    ["Content-Type"] = "text/plain;charset=UTF-8",
    ["User-Agent"] = "${ua}",
    ["Origin"] = "https://bench.test",
  }, body)
end
`;
}

interface WrkResult {
  rps: number;
  p99ms: number;
  requests: number;
  errors: number;
  /** Server CPU (all its processes) per request, µs; NaN where not measured (nginx). */
  cpuUsPerRequest: number;
}

function parseLatency(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n * 60_000;
}

function runWrk(url: string, script: string, serverPid?: number): WrkResult {
  const cpuBefore = serverPid === undefined ? 0 : treeCpuSeconds(serverPid);
  const out = execFileSync(
    "wrk",
    [`-t${THREADS}`, `-c${CONNECTIONS}`, `-d${DURATION}s`, "--latency", "-s", script, url],
    { encoding: "utf8", timeout: (DURATION + 30) * 1000 },
  );
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
  const p99 = parseLatency(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? "");
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  const cpuUsPerRequest =
    serverPid === undefined
      ? Number.NaN
      : ((treeCpuSeconds(serverPid) - cpuBefore) * 1e6) / Math.max(1, requests);
  return { rps, p99ms: p99, requests, errors: non2xx + socketErrors, cpuUsPerRequest };
}

/**
 * CPU seconds (user + system) used so far by a process and all its descendants (tsx → primary →
 * cluster workers), from /proc. Beside requests/s it tells CPU-bound runs from waits (fsync).
 */
function treeCpuSeconds(root: number): number {
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // Fields after the command name (which may hold spaces): state ppid ... utime(14) stime(15).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(name), Number(fields[1]));
      cpu.set(Number(name), Number(fields[11]) + Number(fields[12]));
    } catch {} // the process ended meanwhile
  }
  let ticks = 0;
  const walk = (pid: number) => {
    ticks += cpu.get(pid) ?? 0;
    for (const [child, parent] of parents) if (parent === pid) walk(child);
  };
  walk(root);
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** The spool disk's write + fdatasync latency (11 KB, like one 10-event batch), in ms. */
function fsyncLatency(dir: string, rounds = 200): { p50: number; p99: number } {
  const path = join(dir, "fsync-probe");
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(11_000, 0x61);
  const times: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      writeSync(fd, chunk);
      fdatasyncSync(fd);
      times.push(performance.now() - start);
    }
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

function spoolLines(dir: string): number {
  let lines = 0;
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".ndjson"))) {
    const text = readFileSync(join(dir, f));
    for (const byte of text) if (byte === 0x0a) lines++;
  }
  return lines;
}

/** Starts a collector entry point with a temp data folder; resolves once /healthz answers. */
async function startCollector(
  entry: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number; dataDir: string }> {
  const dataDir = mkdtempSync(join(work, "data-"));
  const port = await freePort();
  const child = spawn(join(REPO, "node_modules/.bin/tsx"), [entry], {
    cwd: work,
    env: {
      ...process.env,
      SIGHTLINE_DATA_DIR: dataDir,
      SIGHTLINE_SERVER_HOST: "127.0.0.1",
      SIGHTLINE_SERVER_PORT: String(port),
      SIGHTLINE_SPOOL_FSYNC: String(opts.fsync),
      SIGHTLINE_COLLECTOR_SITES_FILE: sitesFile,
      // One load generator on one address: the per-client limit would measure itself.
      SIGHTLINE_COLLECTOR_IP_RATE_PER_SECOND: "0",
      ...env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(child);
  await waitFor(`http://127.0.0.1:${port}/healthz`);
  await new Promise((r) => setTimeout(r, 1000)); // let every worker finish starting
  return { child, port, dataDir };
}

async function stopCollector(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

ensureTools();
const work = mkdtempSync(join(tmpdir(), "sl-bench-collector-"));
const sitesFile = join(work, "sites.json");
const children: ChildProcess[] = [];
let nginxStarted = false;
const nginxConf = join(work, "nginx.conf");
try {
  writeFileSync(sitesFile, JSON.stringify([{ id: "bench.test", domains: ["bench.test"] }]));
  // nginx: `return 204` in its own prefix, with its own pid file, stopped at the end.
  const nginxPort = await freePort();
  writeFileSync(
    nginxConf,
    `worker_processes auto;
pid ${join(work, "nginx.pid")};
error_log ${join(work, "nginx-error.log")} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${join(work, "nginx-body")};
  proxy_temp_path ${join(work, "nginx-proxy")};
  fastcgi_temp_path ${join(work, "nginx-fastcgi")};
  uwsgi_temp_path ${join(work, "nginx-uwsgi")};
  scgi_temp_path ${join(work, "nginx-scgi")};
  server {
    listen 127.0.0.1:${nginxPort};
    location / { return 204; }
  }
}
`,
  );
  execFileSync(NGINX, ["-p", work, "-c", nginxConf]);
  nginxStarted = true;

  const now = Date.now();
  const single = join(work, "single.lua");
  const batch = join(work, "batch.lua");
  writeFileSync(single, wrkScript(1, now));
  writeFileSync(batch, wrkScript(10, now));
  console.log(
    `\ncollector bench: ${availableParallelism()} cores, wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION}s, ` +
      `~1 KB events, fsync=${opts.fsync}, event ids unique per request (machine may be shared)\n`,
  );

  const disk = fsyncLatency(work);
  console.log(
    `spool disk: write + fdatasync of 11 KB p50 ${fmt(disk.p50, 2)} ms, p99 ${fmt(disk.p99, 2)} ms ` +
      "(with spool.fsync: batch each 204 waits for one; a slow disk caps requests/s per connection)\n",
  );

  const nginx = runWrk(`http://127.0.0.1:${nginxPort}/e`, single);
  // node:http itself, in the same cluster layout, doing nothing but reading the body: the ceiling
  // of any collector on node:http here.
  const floorServer = await startCollector(join(REPO, "ops/src/collector/floor-server.ts"), {});
  const floor = runWrk(`http://127.0.0.1:${floorServer.port}/e`, single, floorServer.child.pid);
  await stopCollector(floorServer.child);

  // node:http and Fastify around the same handler, one process each, single events.
  const nodeOne = await startCollector(join(REPO, "collector-node/src/server/main.ts"), {
    SIGHTLINE_COLLECTOR_WORKERS: "1",
  });
  const nodeHttp = runWrk(`http://127.0.0.1:${nodeOne.port}/e`, single, nodeOne.child.pid);
  // Beside the cluster's batches: on 2 cores shared with wrk, how much the workers' contention costs.
  const nodeTen = runWrk(`http://127.0.0.1:${nodeOne.port}/e`, batch, nodeOne.child.pid);
  await stopCollector(nodeOne.child);
  const fastifyOne = await startCollector(join(REPO, "ops/src/collector/fastify-server.ts"), {});
  const fastify = runWrk(`http://127.0.0.1:${fastifyOne.port}/e`, single, fastifyOne.child.pid);
  await stopCollector(fastifyOne.child);

  // The shipped setup: cluster mode, one worker per core.
  const cluster = await startCollector(join(REPO, "collector-node/src/server/main.ts"), {
    SIGHTLINE_COLLECTOR_WORKERS: "0",
  });
  const one = runWrk(`http://127.0.0.1:${cluster.port}/e`, single, cluster.child.pid);
  const ten = runWrk(`http://127.0.0.1:${cluster.port}/e`, batch, cluster.child.pid);
  await stopCollector(cluster.child);
  const written = spoolLines(join(cluster.dataDir, "spool"));

  const rows: [string, WrkResult, number][] = [
    ["nginx return 204 (1-event body)", nginx, 1],
    ["node:http floor: read body, 204 (cluster)", floor, 1],
    ["node:http, 1 process, 1 event/request", nodeHttp, 1],
    ["node:http, 1 process, 10 events/request", nodeTen, 10],
    ["Fastify, 1 process, 1 event/request", fastify, 1],
    ["cluster (node:http), 1 event/request", one, 1],
    ["cluster (node:http), 10 events/request", ten, 10],
  ];
  console.log("| run | requests/s | events/s | p99 ms | errors | server CPU µs/request |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const [name, r, events] of rows) {
    const ev = r === nginx || r === floor ? "—" : fmt(r.rps * events);
    const cpu = Number.isNaN(r.cpuUsPerRequest) ? "—" : fmt(r.cpuUsPerRequest);
    console.log(`| ${name} | ${fmt(r.rps)} | ${ev} | ${fmt(r.p99ms, 2)} | ${r.errors} | ${cpu} |`);
  }
  const expected = one.requests - one.errors + (ten.requests - ten.errors) * 10;
  console.log(
    `\ncluster spool lines written: ${fmt(written)} (answered 204 within the runs: ${fmt(expected)})`,
  );
  console.log(`node:http vs Fastify (1 process): ${(nodeHttp.rps / fastify.rps).toFixed(2)}×`);
  const ratio = one.rps / nginx.rps;
  console.log(
    `node:http floor: ${(floor.rps / nginx.rps).toFixed(2)}× nginx; the collector's single events reach ` +
      `${(one.rps / floor.rps).toFixed(2)}× that floor (CPU per request ${fmt(one.cpuUsPerRequest)} against ${fmt(floor.cpuUsPerRequest)} µs)`,
  );
  const batchEvents = ten.rps * 10;
  console.log(
    `single events: ${ratio.toFixed(2)}× nginx (target ≥ 0.20×: ${ratio >= 0.2 ? "met" : "NOT met"})`,
  );
  console.log(
    `10-event batches: ${fmt(batchEvents)} events/s (target ≥ 80,000: ${batchEvents >= 80_000 ? "met" : "NOT met"})`,
  );
} finally {
  for (const child of children) await stopCollector(child);
  if (nginxStarted) {
    try {
      execFileSync(NGINX, ["-p", work, "-c", nginxConf, "-s", "stop"]);
    } catch {}
  }
  rmSync(work, { recursive: true, force: true });
}
