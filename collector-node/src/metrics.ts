import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Plain counters, mergeable across cluster workers (they send snapshots to the primary). */
export interface MetricsSnapshot {
  requests: Record<string, number>;
  eventsAccepted: number;
  eventsRejected: Record<string, number>;
  batchesRejected: Record<string, number>;
  rateLimited: Record<string, number>;
  bytesReceived: number;
  bytesWritten: number;
  writeFailures: number;
}

export function emptySnapshot(): MetricsSnapshot {
  return {
    requests: {},
    eventsAccepted: 0,
    eventsRejected: {},
    batchesRejected: {},
    rateLimited: {},
    bytesReceived: 0,
    bytesWritten: 0,
    writeFailures: 0,
  };
}

function add(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

export function mergeSnapshots(snapshots: Iterable<MetricsSnapshot>): MetricsSnapshot {
  const total = emptySnapshot();
  for (const s of snapshots) {
    add(total.requests, s.requests);
    add(total.eventsRejected, s.eventsRejected);
    add(total.batchesRejected, s.batchesRejected);
    add(total.rateLimited, s.rateLimited);
    total.eventsAccepted += s.eventsAccepted;
    total.bytesReceived += s.bytesReceived;
    total.bytesWritten += s.bytesWritten;
    total.writeFailures += s.writeFailures;
  }
  return total;
}

/** The collector's counters. A tiny hand-written exposition is all Prometheus needs here. */
export class CollectorMetrics {
  readonly local = emptySnapshot();
  /** Set in cluster mode: the sum over every worker, refreshed by the primary. */
  cluster: MetricsSnapshot | null = null;

  request(route: string, status: number): void {
    const key = `${route}|${status}`;
    this.local.requests[key] = (this.local.requests[key] ?? 0) + 1;
  }

  rejected(counts: Record<string, number>): void {
    add(this.local.eventsRejected, counts);
  }

  batchRejected(code: string): void {
    this.local.batchesRejected[code] = (this.local.batchesRejected[code] ?? 0) + 1;
  }

  rateLimited(scope: "ip" | "site"): void {
    this.local.rateLimited[scope] = (this.local.rateLimited[scope] ?? 0) + 1;
  }

  /** Prometheus text format 0.0.4. */
  render(spoolDir: string): string {
    const m = this.cluster ?? this.local;
    const out: string[] = [];
    const family = (name: string, type: string, help: string) =>
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    const label = (v: string) =>
      v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

    family("sightline_collector_requests_total", "counter", "HTTP requests by route and status.");
    for (const [key, n] of Object.entries(m.requests)) {
      const [route = "", status = ""] = key.split("|");
      out.push(
        `sightline_collector_requests_total{route="${label(route)}",status="${status}"} ${n}`,
      );
    }
    family("sightline_collector_events_accepted_total", "counter", "Events written to the spool.");
    out.push(`sightline_collector_events_accepted_total ${m.eventsAccepted}`);
    family(
      "sightline_collector_events_rejected_total",
      "counter",
      "Events dropped from accepted batches, by reason.",
    );
    for (const [reason, n] of Object.entries(m.eventsRejected)) {
      out.push(`sightline_collector_events_rejected_total{reason="${label(reason)}"} ${n}`);
    }
    family(
      "sightline_collector_batches_rejected_total",
      "counter",
      "Whole requests refused, by error code.",
    );
    for (const [code, n] of Object.entries(m.batchesRejected)) {
      out.push(`sightline_collector_batches_rejected_total{code="${label(code)}"} ${n}`);
    }
    family("sightline_collector_rate_limited_total", "counter", "Requests answered 429, by scope.");
    for (const [scope, n] of Object.entries(m.rateLimited)) {
      out.push(`sightline_collector_rate_limited_total{scope="${label(scope)}"} ${n}`);
    }
    family("sightline_collector_received_bytes_total", "counter", "Request body bytes received.");
    out.push(`sightline_collector_received_bytes_total ${m.bytesReceived}`);
    family("sightline_collector_written_bytes_total", "counter", "NDJSON bytes written.");
    out.push(`sightline_collector_written_bytes_total ${m.bytesWritten}`);
    family(
      "sightline_collector_write_failures_total",
      "counter",
      "Spool writes that failed (503).",
    );
    out.push(`sightline_collector_write_failures_total ${m.writeFailures}`);
    const spool = spoolSize(spoolDir);
    family("sightline_collector_spool_bytes", "gauge", "Bytes in spool files not yet removed.");
    out.push(`sightline_collector_spool_bytes ${spool.bytes}`);
    family("sightline_collector_spool_files", "gauge", "Spool files not yet removed.");
    out.push(`sightline_collector_spool_files ${spool.files}`);
    return `${out.join("\n")}\n`;
  }
}

export function spoolSize(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  try {
    for (const name of readdirSync(dir)) {
      if (!name.endsWith(".ndjson")) continue;
      try {
        bytes += statSync(join(dir, name)).size;
        files++;
      } catch {} // shipped and removed meanwhile
    }
  } catch {}
  return { bytes, files };
}
