import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Settings } from "@sightline/config";
import {
  type GeoLookup,
  LIMITS,
  ndjsonLines,
  type SaltStore,
  type SiteDirectory,
  utcDay,
} from "@sightline/edge";
import { createClientIpResolver } from "../client-ip.ts";
import { nodeHmacHex } from "../hmac.ts";
import { type IngestDeps, type IngestResponse, ingest } from "../ingest.ts";
import { CollectorMetrics } from "../metrics.ts";
import { PIXEL_GIF, pixelBatch } from "../pixel.ts";
import { TokenBuckets } from "../rate-limit.ts";
import { serveTrackerAsset, type TrackerAsset } from "../tracker-asset.ts";
import { bodyError, header, readBody, sendJson } from "./http.ts";
import { internalRows } from "./internal-rows.ts";

/** NDJSON batches from edge Workers can be large: one queue batch of many requests. */
export const INTERNAL_BODY_BYTES = 16 * 1024 * 1024;

export interface CollectorHandlerOptions {
  salts: SaltStore;
  sites: SiteDirectory;
  geo?: GeoLookup;
  /** Appends NDJSON lines to the spool; resolves after the write. */
  append(lines: string): Promise<void>;
  /** The built tracker; `s.js` answers 404 without it. */
  tracker?: TrackerAsset | null;
  /** Tracker plugins by path (`/errors.js`, `/vitals.js`). */
  plugins?: ReadonlyMap<string, TrackerAsset>;
  trustedProxies: readonly string[];
  collector: Settings["collector"];
  spoolDir: string;
  metrics?: CollectorMetrics;
  /** Never given an IP address: the handler logs codes and messages only. */
  log: (message: string) => void;
  now?: () => number;
  /** Cluster workers share the configured rate limits: each enforces 1/n of them. */
  workers?: number;
}

/** Handles one request; `path` is relative to where the collector is mounted (`/e`, `/s.js`, ...). */
export type CollectorHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) => Promise<void>;

/** What every answer reads: the options, and what is built from them once. */
interface Collector {
  readonly o: CollectorHandlerOptions;
  readonly metrics: CollectorMetrics;
  readonly now: () => number;
  readonly clientIp: ReturnType<typeof createClientIpResolver>;
  readonly ipBuckets: TokenBuckets;
  readonly spool: SpoolHealth;
  readonly ingestDeps: IngestDeps;
  /** SHA-256 of `collector.internalToken`; null while edge delivery is off. */
  readonly internalToken: Buffer | null;
  /** SHA-256 of `collector.metricsToken`; null while /metrics is off. */
  readonly metricsToken: Buffer | null;
}

/** Answers one request to a route; returns the status sent. */
type Answer = (
  c: Collector,
  req: IncomingMessage,
  res: ServerResponse,
  query: string,
) => Promise<number> | number;

interface Route {
  /** The answer per method; any other method is 405. */
  methods: Readonly<Partial<Record<string, Answer>>>;
  /** False while the route is off (no tracker build): every method is 404, as if it were absent. */
  on?: (c: Collector) => boolean;
}

/** Appends to the spool and remembers how the latest write went, for /healthz. */
class SpoolHealth {
  readonly #write: (lines: string) => Promise<void>;
  readonly #metrics: CollectorMetrics;
  readonly #now: () => number;
  #lastFailedAt = 0;
  #lastOkAt = 0;

  constructor(
    write: (lines: string) => Promise<void>,
    metrics: CollectorMetrics,
    now: () => number,
  ) {
    this.#write = write;
    this.#metrics = metrics;
    this.#now = now;
  }

  /** Unhealthy while the latest write attempt failed: the spool disk is full or gone. */
  get ok(): boolean {
    return this.#lastFailedAt === 0 || this.#lastOkAt > this.#lastFailedAt;
  }

  readonly append = async (lines: string): Promise<void> => {
    try {
      await this.#write(lines);
      this.#lastOkAt = this.#now();
    } catch (error) {
      this.#lastFailedAt = this.#now();
      this.#metrics.local.writeFailures++;
      throw error;
    }
  };
}

function tokenDigest(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

function collectorOf(options: CollectorHandlerOptions): Collector {
  const { collector } = options;
  const metrics = options.metrics ?? new CollectorMetrics();
  const now = options.now ?? Date.now;
  const share = Math.max(1, options.workers ?? 1);
  const siteBuckets = new TokenBuckets(collector.siteRatePerSecond / share, collector.siteBurst);
  const spool = new SpoolHealth(options.append, metrics, now);
  return {
    o: options,
    metrics,
    now,
    clientIp: createClientIpResolver(options.trustedProxies),
    ipBuckets: new TokenBuckets(collector.ipRatePerSecond / share, collector.ipBurst),
    spool,
    ingestDeps: {
      salts: options.salts,
      sites: options.sites,
      geo: options.geo,
      extraQueryKeys: new Set(collector.extraQueryKeys.map((k) => k.toLowerCase())),
      cookieless: collector.cookieless,
      hmac: nodeHmacHex,
      append: spool.append,
      now,
      log: options.log,
      admit: (rows) => {
        if (!siteBuckets.enabled) return 0;
        const wait = siteBuckets.take(rows[0]?.site_id ?? "", rows.length, now());
        if (wait > 0) metrics.rateLimited("site");
        return wait;
      },
    },
    internalToken: collector.internalToken ? tokenDigest(collector.internalToken) : null,
    metricsToken: collector.metricsToken ? tokenDigest(collector.metricsToken) : null,
  };
}

/** The client address as `server.trustedProxies` allows it to be known. */
function clientIpOf(c: Collector, req: IncomingMessage): string {
  return c.clientIp(req.socket.remoteAddress ?? "", (name) => header(req, name));
}

/** Seconds to wait when the client is over its rate, else 0. */
async function rateLimitIp(c: Collector, ip: string, at: number): Promise<number> {
  if (!c.ipBuckets.enabled) return 0;
  // The salted IP hash keys the per-client bucket: no raw IP is kept even in memory.
  const salt = await c.o.salts.saltFor(utcDay(at));
  const key = createHmac("sha256", salt).update(`rate|${ip}`).digest("base64url").slice(0, 22);
  const wait = c.ipBuckets.take(key, 1, at);
  if (wait > 0) c.metrics.rateLimited("ip");
  return wait;
}

function cors(req: IncomingMessage): Record<string, string> {
  const origin = header(req, "origin");
  // Retry-After must be readable cross-origin, or the tracker cannot honour a 429.
  return origin
    ? {
        "access-control-allow-origin": origin,
        "access-control-expose-headers": "Retry-After",
        vary: "Origin",
      }
    : {};
}

/** A tracker batch through `ingest()`, with what the request's headers say about the client. */
async function recordBatch(
  c: Collector,
  req: IncomingMessage,
  body: string,
  ip: string,
): Promise<IngestResponse> {
  const privacy =
    c.o.collector.honorPrivacySignals &&
    (header(req, "sec-gpc")?.trim() === "1" || header(req, "dnt")?.trim() === "1");
  const result = await ingest(
    {
      body,
      ip,
      userAgent: header(req, "user-agent") ?? "",
      origin: header(req, "origin") ?? null,
      privacySignal: privacy,
      clientHints: {
        brands: header(req, "sec-ch-ua"),
        mobile: header(req, "sec-ch-ua-mobile"),
        platform: header(req, "sec-ch-ua-platform"),
      },
    },
    c.ingestDeps,
  );
  c.metrics.rejected(result.rejected);
  c.metrics.local.eventsAccepted += result.accepted;
  c.metrics.local.bytesWritten += result.written;
  if (result.body && result.status !== 429) c.metrics.batchRejected(result.body.code);
  return result;
}

/** `POST /e`: a tracker batch; 204 only once its rows are in the spool. */
const postEvents: Answer = async (c, req, res) => {
  const headers = cors(req);
  const body = await readBody(req, LIMITS.bodyBytes);
  if (!body.ok) {
    c.metrics.batchRejected(body.status === 413 ? "BODY_TOO_LARGE" : "BODY_INCOMPLETE");
    return bodyError(res, body.status, LIMITS.bodyBytes, headers);
  }
  c.metrics.local.bytesReceived += body.bytes;
  const ip = clientIpOf(c, req);
  const wait = c.ipBuckets.enabled ? await rateLimitIp(c, ip, c.now()) : 0;
  if (wait > 0) {
    return sendJson(
      res,
      429,
      { status: 429, code: "RATE_LIMITED", error: "too many requests from this client" },
      { ...headers, "retry-after": String(wait) },
    );
  }
  const result = await recordBatch(c, req, body.text, ip);
  if (result.status === 204) {
    res.writeHead(204, headers);
    res.end();
  } else if (result.body) {
    const extra: Record<string, string> = result.retryAfter
      ? { "retry-after": String(result.retryAfter) }
      : {};
    sendJson(res, result.status, result.body, { ...headers, ...extra });
  }
  return result.status;
};

/** `OPTIONS /e`: the CORS preflight (the tracker's simple requests need none). */
const preflight: Answer = (_, req, res) => {
  res.writeHead(204, {
    ...cors(req),
    "access-control-allow-methods": "POST",
    "access-control-allow-headers": "content-type",
    "access-control-max-age": "86400",
  });
  res.end();
  return 204;
};

/**
 * `GET /p.gif`: one event from the query. Always the same 1×1 GIF: an <img> cannot act on
 * errors, and no-store keeps each hit a hit. The status returned (for /metrics) is the event's.
 */
const pixel: Answer = async (c, req, res, query) => {
  const at = c.now();
  const batch = pixelBatch(new URLSearchParams(query), header(req, "referer"), at);
  let status = 400;
  if (batch === null) c.metrics.batchRejected("PIXEL_INCOMPLETE");
  else {
    const ip = clientIpOf(c, req);
    if ((await rateLimitIp(c, ip, at)) > 0) status = 429;
    else status = (await recordBatch(c, req, batch, ip)).status;
  }
  res.writeHead(200, {
    "content-type": "image/gif",
    "content-length": PIXEL_GIF.byteLength,
    "cache-control": "no-store, max-age=0",
  });
  res.end(PIXEL_GIF);
  return status;
};

/** A built script (the tracker or a plugin), compressed as the client accepts, with its ETag. */
function serveScript(script: TrackerAsset, req: IncomingMessage, res: ServerResponse): number {
  const served = serveTrackerAsset(
    script,
    header(req, "accept-encoding"),
    header(req, "if-none-match"),
  );
  res.writeHead(served.status, served.headers);
  res.end(req.method === "HEAD" ? undefined : (served.body ?? undefined));
  return served.status;
}

/** `GET /s.js`: the tracker (the route is off without a build). */
const trackerScript: Answer = (c, req, res) =>
  c.o.tracker ? serveScript(c.o.tracker, req, res) : notFound(res);

/** `GET /healthz`: 503 while the latest spool write failed. */
const healthz: Answer = (c, _, res) => {
  const ok = c.spool.ok;
  const status = ok ? 200 : 503;
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(JSON.stringify({ status: ok ? "ok" : "failing", spool: ok ? "ok" : "write failed" }));
  return status;
};

/**
 * Answers 404 while `token` is not configured (the endpoint does not exist) and 401 unless the
 * request carries it as a bearer token; null when it may go on. Digests are compared, so the
 * comparison takes the same time whatever was sent.
 */
function bearer(req: IncomingMessage, res: ServerResponse, token: Buffer | null): number | null {
  if (!token) return notFound(res);
  const auth = header(req, "authorization") ?? "";
  const given = auth.startsWith("Bearer ") ? tokenDigest(auth.slice(7).trim()) : null;
  if (!given || !timingSafeEqual(given, token)) {
    return sendJson(
      res,
      401,
      { status: 401, code: "UNAUTHORIZED", error: "a valid bearer token is required" },
      { "www-authenticate": "Bearer" },
    );
  }
  return null;
}

/** `GET /metrics`: Prometheus text, with `collector.metricsToken` (404 without one). */
const metricsText: Answer = (c, req, res) => {
  // Behind the first-party proxy /sl/metrics is on the public internet: a token, or nothing.
  const refused = bearer(req, res, c.metricsToken);
  if (refused !== null) return refused;
  const text = c.metrics.render(c.o.spoolDir);
  res.writeHead(200, {
    "content-type": "text/plain; version=0.0.4; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(text);
  return 200;
};

/** `POST /internal/ndjson`: event rows from edge Workers, all or nothing (404 without a token). */
const postInternal: Answer = async (c, req, res) => {
  const refused = bearer(req, res, c.internalToken);
  if (refused !== null) return refused;
  const body = await readBody(req, INTERNAL_BODY_BYTES);
  if (!body.ok) return bodyError(res, body.status, INTERNAL_BODY_BYTES, {});
  c.metrics.local.bytesReceived += body.bytes;
  const parsed = internalRows(body.text);
  if (!parsed.ok) {
    c.metrics.batchRejected(parsed.code);
    return sendJson(res, 400, { status: 400, code: parsed.code, error: parsed.error });
  }
  // Written by the one row serializer, like every other spool line.
  const out = ndjsonLines(parsed.rows);
  try {
    await c.spool.append(out);
  } catch (error) {
    c.o.log(`spool write failed: ${(error as Error).message}`);
    return sendJson(res, 503, {
      status: 503,
      code: "SPOOL_UNAVAILABLE",
      error: "rows could not be stored, retry later",
    });
  }
  c.metrics.local.eventsAccepted += parsed.rows.length;
  c.metrics.local.bytesWritten += Buffer.byteLength(out);
  res.writeHead(204);
  res.end();
  return 204;
};

function notFound(res: ServerResponse): number {
  return sendJson(res, 404, { status: 404, code: "NOT_FOUND", error: "not found" });
}

/**
 * Every route of the collector, declared once: its path, and the answer of each method it takes.
 * A route's path is also its label in /metrics; anything else is counted as "other".
 */
const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ["/e", { methods: { POST: postEvents, OPTIONS: preflight } }],
  ["/p.gif", { methods: { GET: pixel, HEAD: pixel } }],
  [
    "/s.js",
    { methods: { GET: trackerScript, HEAD: trackerScript }, on: (c) => Boolean(c.o.tracker) },
  ],
  ["/healthz", { methods: { GET: healthz, HEAD: healthz } }],
  ["/metrics", { methods: { GET: metricsText, HEAD: metricsText } }],
  ["/internal/ndjson", { methods: { POST: postInternal } }],
]);

/** Finds the answer for a request: its route's, a tracker plugin's, 405 or 404. */
function answer(
  c: Collector,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  query: string,
): Promise<number> | number {
  const method = req.method ?? "GET";
  const route = ROUTES.get(pathname);
  if (route) {
    if (route.on && !route.on(c)) return notFound(res);
    const respond = route.methods[method];
    if (respond) return respond(c, req, res, query);
    return sendJson(res, 405, {
      status: 405,
      code: "METHOD_NOT_ALLOWED",
      error: "method not allowed",
    });
  }
  // Tracker plugins (`/errors.js`, ...) are served beside the routes, counted as "other".
  const plugin = method === "GET" || method === "HEAD" ? c.o.plugins?.get(pathname) : undefined;
  return plugin ? serveScript(plugin, req, res) : notFound(res);
}

/**
 * The collector's HTTP surface, shared by the standalone server and the all-in-one backend:
 * the routes in `ROUTES`, plus the tracker plugins.
 */
export function createCollectorHandler(options: CollectorHandlerOptions): CollectorHandler {
  const c = collectorOf(options);
  return async (req, res, path) => {
    const q = path.indexOf("?");
    const pathname = q === -1 ? path : path.slice(0, q);
    let status = 500;
    try {
      status = await answer(c, req, res, pathname, q === -1 ? "" : path.slice(q + 1));
    } catch (error) {
      // Messages only: errors never carry request headers or addresses.
      options.log(`collector error on ${pathname}: ${(error as Error).message}`);
      if (!res.headersSent) {
        sendJson(res, 500, { status: 500, code: "INTERNAL", error: "internal error" });
      } else res.destroy();
    }
    c.metrics.request(ROUTES.has(pathname) ? pathname : "other", status);
  };
}
