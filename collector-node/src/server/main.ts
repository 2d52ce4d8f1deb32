import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import { loadSettings, SettingsError } from "@sightline/config";
import { type MetricsSnapshot, mergeSnapshots } from "../metrics.ts";
import { startCollectorServer } from "./server.ts";

// The standalone collector: `pnpm --filter @sightline/collector-node start`. In cluster mode the
// primary only forks workers (they share the port) and sums their metrics for /metrics.

interface MetricsMessage {
  type: "sl-metrics" | "sl-metrics-total";
  snapshot: MetricsSnapshot;
}

function isMetrics(message: unknown): message is MetricsMessage {
  return (
    typeof message === "object" && message !== null && "type" in message && "snapshot" in message
  );
}

const log = (line: string) => console.log(`[collector ${process.pid}] ${line}`);

let settings: ReturnType<typeof loadSettings>;
try {
  settings = loadSettings();
} catch (error) {
  console.error(error instanceof SettingsError ? error.message : error);
  process.exit(2);
}
const workers = settings.collector.workers || availableParallelism();

if (workers > 1 && cluster.isPrimary) {
  const snapshots = new Map<number, MetricsSnapshot>();
  let stopping = false;
  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on("message", (message: unknown) => {
      if (isMetrics(message) && message.type === "sl-metrics") {
        snapshots.set(worker.id, message.snapshot);
      }
    });
    return worker;
  };
  for (let i = 0; i < workers; i++) fork();
  cluster.on("exit", (worker, code, signal) => {
    // Keep the exited worker's counts: counters never go down.
    if (!stopping) {
      log(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
      fork();
    } else if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  });
  const timer = setInterval(() => {
    const total: MetricsMessage = {
      type: "sl-metrics-total",
      snapshot: mergeSnapshots(snapshots.values()),
    };
    for (const worker of Object.values(cluster.workers ?? {})) worker?.send(total);
  }, 1000);
  const stop = () => {
    stopping = true;
    clearInterval(timer);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  log(`collector primary: ${workers} workers on ${settings.server.host}:${settings.server.port}`);
} else {
  const running = await startCollectorServer(settings, {
    log,
    workers: cluster.isWorker ? workers : 1,
  });
  if (cluster.isWorker) {
    process.on("message", (message: unknown) => {
      if (isMetrics(message) && message.type === "sl-metrics-total") {
        running.metrics.cluster = message.snapshot;
      }
    });
    setInterval(() => {
      process.send?.({ type: "sl-metrics", snapshot: running.metrics.local });
    }, 1000).unref();
  }
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  log(`collector listening on ${settings.server.host}:${running.port}`);
}
