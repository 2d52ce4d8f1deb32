import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ingest } from "./ingest.ts";
import type { SpoolWriter } from "./spool-writer.ts";

const CLI = fileURLToPath(new URL("./cli/main.ts", import.meta.url));

/** Starts `sightline <args>` as its own process (a real, SIGKILL-able shipper). */
export function startCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
    env: { ...process.env, UV_THREADPOOL_SIZE: "8", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function exited(child: ChildProcess): Promise<number | NodeJS.Signals> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(child.signalCode ?? child.exitCode ?? -1);
  }
  return new Promise((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? code ?? -1)),
  );
}

/**
 * A steady stream of tracker batches through the real collector core into the spool. Every
 * batch is retried until it is answered 204, like the tracker does, and `accepted` holds the ids
 * of every event the collector acknowledged.
 */
export function eventStream(writer: SpoolWriter, site: string, perBatch = 10, everyMs = 20) {
  const accepted = new Set<string>();
  let stopped = false;
  let n = 0;
  const deps = {
    salts: { saltFor: async () => "chaos-salt" },
    sites: { get: (id: string) => ({ id, domains: [] }) },
    append: (lines: string) => writer.append(lines),
  };
  const loop = (async () => {
    while (!stopped) {
      const events = Array.from({ length: perBatch }, () => ({
        i: `chaos-${site}-${n++}`,
        n: "pageview",
        t: Date.now(),
        u: `https://${site}/p/${n % 7}`,
        v: `visitor-${n % 50}`,
        x: `session-${n % 80}`,
      }));
      const body = JSON.stringify({ s: site, e: events });
      for (let attempt = 0; ; attempt++) {
        const res = await ingest(
          {
            body,
            ip: "192.0.2.10",
            userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0",
            origin: null,
          },
          deps,
        );
        if (res.status === 204) {
          for (const e of events) accepted.add(e.i);
          // Now and then the same batch twice, as a tracker retry after a lost answer would.
          if (n % 170 === 0)
            await ingest(
              { body, ip: "192.0.2.10", userAgent: "Mozilla/5.0 Chrome/140.0", origin: null },
              deps,
            );
          break;
        }
        if (attempt > 50) throw new Error(`collector kept refusing: ${res.status}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    accepted,
    async stop(): Promise<void> {
      stopped = true;
      await loop;
    },
  };
}

/** True when the shipper's checkpoint covers every byte of every spool file, nothing in flight. */
export function spoolShipped(spoolDir: string): boolean {
  let state: { shipped?: Record<string, number>; inflight?: unknown };
  try {
    state = JSON.parse(readFileSync(join(spoolDir, "shipper.checkpoint.json"), "utf8"));
  } catch {
    return false;
  }
  if (state.inflight) return false;
  return readdirSync(spoolDir)
    .filter((f) => f.endsWith(".ndjson"))
    .every((f) => (state.shipped?.[f] ?? 0) >= statSync(join(spoolDir, f)).size);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
