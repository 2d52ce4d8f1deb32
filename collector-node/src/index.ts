export { CheckpointFile, type CheckpointState, type Range } from "./checkpoint.ts";
export { createClientIpResolver } from "./client-ip.ts";
export {
  type IngestDeps,
  type IngestRequest,
  type IngestResponse,
  ingest,
  toNdjson,
} from "./ingest.ts";
export { FileSaltStore } from "./salts.ts";
export { Shipper, type ShipperOptions, type ShipperStats } from "./shipper.ts";
export {
  type FsyncPolicy,
  SpoolWriter,
  type SpoolWriterOptions,
  spoolFileName,
} from "./spool-writer.ts";
export { loadTrackerAsset, serveTrackerAsset, type TrackerAsset } from "./tracker-asset.ts";
