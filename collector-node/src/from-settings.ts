import type { ClickHouse, Settings } from "@sightline/config";
import { Shipper, type ShipperOptions } from "./shipper.ts";
import { SpoolWriter } from "./spool-writer.ts";

/** The spool writer that `spool.*` settings describe. */
export function spoolWriterFromSettings(
  settings: Pick<Settings, "spool">,
  onWrite?: () => void,
): SpoolWriter {
  return new SpoolWriter({
    dir: settings.spool.dir,
    maxFileBytes: settings.spool.maxFileBytes,
    maxFileAgeMs: settings.spool.maxFileAgeSeconds * 1000,
    fsync: settings.spool.fsync,
    ...(onWrite ? { onWrite } : {}),
  });
}

/**
 * The shipper that `shipper.*` settings describe, on a ClickHouse session of its own.
 * Callers add what only they know (which files are sealed, the log) and may override options,
 * e.g. a replay that always deletes its copies.
 */
export function shipperFromSettings(
  settings: Pick<Settings, "spool" | "shipper">,
  ch: Pick<ClickHouse, "session" | "mode">,
  options: Pick<ShipperOptions, "isSealed"> & Partial<ShipperOptions>,
): Shipper {
  const { shipper } = settings;
  return new Shipper({
    spoolDir: settings.spool.dir,
    client: ch.session(),
    batchRows: shipper.batchRows,
    batchBytes: shipper.batchBytes,
    intervalMs: shipper.intervalMs,
    maxWaitMs: shipper.maxWaitMs,
    engineReadsFiles: ch.mode === "embedded",
    openSession: () => ch.session(),
    deadLetter: shipper.deadLetter,
    shippedFiles: shipper.shippedFiles,
    archiveDir: shipper.archiveDir,
    archiveKeepMs: shipper.archiveKeepDays * 86_400_000,
    ...options,
  });
}
