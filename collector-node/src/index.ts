export { CheckpointFile, type CheckpointState, type Range } from "./checkpoint.ts";
export {
  type AdminRequest,
  adminSocketPath,
  serveAdminSocket,
} from "./cli/admin.ts";
export type { CommandHost } from "./cli/commands.ts";
export { runInServer } from "./cli/run.ts";
export { createClientIpResolver } from "./client-ip.ts";
export { shipperFromSettings, spoolWriterFromSettings } from "./from-settings.ts";
export { bundledGeoDatabase, openGeoLookup } from "./geo.ts";
export {
  type IngestDeps,
  type IngestRequest,
  type IngestResponse,
  ingest,
} from "./ingest.ts";
export {
  CollectorMetrics,
  emptySnapshot,
  type MetricsSnapshot,
  mergeSnapshots,
  spoolSize,
} from "./metrics.ts";
export { PIXEL_GIF, pixelBatch } from "./pixel.ts";
export { TokenBuckets } from "./rate-limit.ts";
export { FileSaltStore } from "./salts.ts";
export {
  type CollectorHandler,
  type CollectorHandlerOptions,
  createCollectorHandler,
  INTERNAL_BODY_BYTES,
} from "./server/handler.ts";
export {
  type CollectorRuntime,
  type CollectorServer,
  type CollectorServerOptions,
  createCollectorRuntime,
  startCollectorServer,
} from "./server/server.ts";
export { Shipper, type ShipperOptions, type ShipperStats } from "./shipper.ts";
export { FileSiteDirectory, LmdbSiteDirectory } from "./sites.ts";
export { SpoolFullError, SpoolGuard, type SpoolGuardOptions } from "./spool-guard.ts";
export {
  type FsyncPolicy,
  SpoolWriter,
  type SpoolWriterOptions,
  spoolFileName,
} from "./spool-writer.ts";
export {
  loadTrackerAsset,
  loadTrackerPlugins,
  serveTrackerAsset,
  TRACKER_PLUGINS,
  type TrackerAsset,
} from "./tracker-asset.ts";
