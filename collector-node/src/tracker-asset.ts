import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

export interface TrackerAsset {
  etag: string;
  identity: Buffer;
  gzip: Buffer;
  brotli: Buffer;
}

/** The built tracker, compressed once at start-up. */
export function loadTrackerAsset(path: string): TrackerAsset {
  let identity: Buffer;
  try {
    identity = readFileSync(path);
  } catch {
    throw new Error(`tracker bundle not found at ${path}: run "pnpm build" first`);
  }
  return {
    etag: `"${createHash("sha256").update(identity).digest("base64url").slice(0, 22)}"`,
    identity,
    gzip: gzipSync(identity, { level: 9 }),
    brotli: brotliCompressSync(identity, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }),
  };
}

/** Optional tracker plugins, built beside s.js and loaded by pages that enable them. */
export const TRACKER_PLUGINS = ["errors.js", "vitals.js"] as const;

/** The plugins found in the tracker's dist folder, keyed by their path (`/errors.js`). */
export function loadTrackerPlugins(distDir: string): Map<string, TrackerAsset> {
  const plugins = new Map<string, TrackerAsset>();
  for (const name of TRACKER_PLUGINS) {
    const file = join(distDir, name);
    if (existsSync(file)) plugins.set(`/${name}`, loadTrackerAsset(file));
  }
  return plugins;
}

/** Picks the body and headers for a request's Accept-Encoding and If-None-Match. */
export function serveTrackerAsset(
  asset: TrackerAsset,
  acceptEncoding: string | undefined,
  ifNoneMatch: string | undefined,
): { status: 200 | 304; headers: Record<string, string>; body: Buffer | null } {
  const headers: Record<string, string> = {
    "content-type": "application/javascript; charset=utf-8",
    "cache-control": "public, max-age=3600, stale-while-revalidate=86400",
    etag: asset.etag,
    vary: "Accept-Encoding",
  };
  if (ifNoneMatch?.split(",").some((t) => t.trim() === asset.etag)) {
    return { status: 304, headers, body: null };
  }
  const accepts = (acceptEncoding ?? "").toLowerCase();
  if (/\bbr\b/.test(accepts)) {
    return { status: 200, headers: { ...headers, "content-encoding": "br" }, body: asset.brotli };
  }
  if (/\bgzip\b/.test(accepts)) {
    return { status: 200, headers: { ...headers, "content-encoding": "gzip" }, body: asset.gzip };
  }
  return { status: 200, headers, body: asset.identity };
}
