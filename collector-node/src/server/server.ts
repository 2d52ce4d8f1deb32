import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Settings } from "@sightline/config";
import type { SiteDirectory } from "@sightline/edge";
import { spoolWriterFromSettings } from "../from-settings.ts";
import { openGeoLookup } from "../geo.ts";
import { CollectorMetrics } from "../metrics.ts";
import { FileSaltStore } from "../salts.ts";
import { FileSiteDirectory, LmdbSiteDirectory } from "../sites.ts";
import { loadTrackerAsset, loadTrackerPlugins } from "../tracker-asset.ts";
import { type CollectorHandler, createCollectorHandler } from "./handler.ts";

export const TRACKER_BUNDLE = fileURLToPath(new URL("../../../tracker/dist/s.js", import.meta.url));

export interface CollectorServerOptions {
  log: (line: string) => void;
  /** Cluster workers sharing the limits (1 outside cluster mode). */
  workers?: number;
  metrics?: CollectorMetrics;
  /** The tracker bundle to serve as s.js (default: tracker/dist/s.js when built). */
  trackerPath?: string;
}

export interface CollectorServer {
  server: Server;
  metrics: CollectorMetrics;
  port: number;
  close(): Promise<void>;
}

export interface CollectorRuntime {
  handler: CollectorHandler;
  metrics: CollectorMetrics;
  /** Flushes the spool writer and closes the sites database. */
  close(): Promise<void>;
}

/**
 * Everything the standalone collector runs besides the HTTP server: a spool writer of its own
 * (file names carry the pid, so cluster workers never collide), sites from the backend's LMDB or
 * a sites file, the geo database (`collector.geoDatabase`, else the bundled one), salts, and the
 * shared handler. It does not bound the spool (`spool.maxBytes`): only the all-in-one server does.
 */
export function createCollectorRuntime(
  settings: Settings,
  options: CollectorServerOptions,
): CollectorRuntime {
  const { log } = options;
  const collector = settings.collector;
  let lmdb: LmdbSiteDirectory | null = null;
  let sites: SiteDirectory;
  if (collector.sitesFile) sites = new FileSiteDirectory(resolve(collector.sitesFile));
  else {
    lmdb = new LmdbSiteDirectory(join(settings.dataDir, "lmdb"));
    sites = lmdb;
  }
  const geo = openGeoLookup(collector.geoDatabase ? resolve(collector.geoDatabase) : undefined);
  const trackerPath = options.trackerPath ?? TRACKER_BUNDLE;
  const tracker = existsSync(trackerPath) ? loadTrackerAsset(trackerPath) : null;
  if (!tracker) log(`tracker bundle not found at ${trackerPath}: s.js answers 404`);

  const writer = spoolWriterFromSettings(settings);
  const metrics = options.metrics ?? new CollectorMetrics();
  const handler = createCollectorHandler({
    salts: new FileSaltStore(join(settings.dataDir, "salts")),
    sites,
    geo,
    append: (lines) => writer.append(lines),
    tracker,
    plugins: loadTrackerPlugins(dirname(trackerPath)),
    trustedProxies: settings.server.trustedProxies,
    collector,
    spoolDir: settings.spool.dir,
    metrics,
    log,
    workers: options.workers,
  });
  return {
    handler,
    metrics,
    async close() {
      await writer.close();
      await lmdb?.close();
    },
  };
}

/** The standalone collector: node:http around the shared handler, mounted at `/` and `/sl`. */
export async function startCollectorServer(
  settings: Settings,
  options: CollectorServerOptions,
): Promise<CollectorServer> {
  const runtime = createCollectorRuntime(settings, options);
  const { handler, metrics } = runtime;
  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    void handler(req, res, url.startsWith("/sl/") ? url.slice(3) : url);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((ready, fail) => {
    server.once("error", fail);
    server.listen(settings.server.port, settings.server.host, () => ready());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    server,
    metrics,
    port,
    async close() {
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeIdleConnections();
      });
      await runtime.close();
    },
  };
}
