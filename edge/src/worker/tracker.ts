// The built tracker (tracker/dist/s.js), bundled as a Text module (see [[rules]] in wrangler.toml).
import trackerSource from "@sightline/tracker/dist/s.js";

let etag: Promise<string> | undefined;

async function computeEtag(source: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(source));
  let text = "";
  for (const byte of new Uint8Array(digest)) text += String.fromCharCode(byte);
  return `"${btoa(text).replace(/\+/g, "-").replace(/\//g, "_").slice(0, 22)}"`;
}

/**
 * `GET {base}/s.js`: the tracker with an ETag and an hour of caching. Cloudflare's edge
 * compresses JavaScript (gzip/brotli) on the way out, so the Worker answers with plain text.
 */
export async function handleTracker(request: Request): Promise<Response> {
  etag ??= computeEtag(trackerSource);
  const tag = await etag;
  const headers = {
    "content-type": "application/javascript; charset=utf-8",
    "cache-control": "public, max-age=3600, stale-while-revalidate=86400",
    etag: tag,
  };
  const ifNoneMatch = request.headers.get("if-none-match");
  if (ifNoneMatch?.split(",").some((candidate) => candidate.trim() === tag)) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(request.method === "HEAD" ? null : trackerSource, { headers });
}
