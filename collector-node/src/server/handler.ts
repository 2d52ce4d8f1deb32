import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Settings } from "@sightline/config";
import {
  eventRowSchema,
  type GeoLookup,
  LIMITS,
  type SaltStore,
  type SiteDirectory,
  utcDay,
} from "@sightline/edge";
import { createClientIpResolver } from "../client-ip.ts";
import { nodeHmacHex } from "../hmac.ts";
import { type IngestDeps, ingest } from "../ingest.ts";
import { CollectorMetrics } from "../metrics.ts";
import { PIXEL_GIF, pixelBatch } from "../pixel.ts";
import { TokenBuckets } from "../rate-limit.ts";
import { serveTrackerAsset, type TrackerAsset } from "../tracker-asset.ts";

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

type Body = { ok: true; text: string; bytes: number } | { ok: false; status: 413 | 400 };

/** The answer to a body that could not be read: too large, or cut off by the client. */
function bodyError(
  res: ServerResponse,
  status: 413 | 400,
  limit: number,
  headers: Record<string, string>,
): number {
  const body =
    status === 413
      ? { status, code: "BODY_TOO_LARGE", error: `body is larger than ${limit} bytes` }
      : { status, code: "BODY_INCOMPLETE", error: "the request body was cut off" };
  sendJson(res, status, body, { ...headers, connection: "close" });
  return status;
}

/** Reads a body up to `limit` bytes. Content-Length is trusted only without Transfer-Encoding. */
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && req.headers["transfer-encoding"] === undefined) {
    if (Number(declared) > limit) return Promise.resolve({ ok: false, status: 413 });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      bytes += chunk.byteLength;
      if (bytes > limit) {
        over = true;
        chunks.length = 0;
        resolve({ ok: false, status: 413 });
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    req.on("end", () => {
      ended = true;
      if (!over) {
        const buffer = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        resolve({ ok: true, text: buffer.toString("utf8"), bytes });
      }
    });
    // A client that goes away mid-body ("aborted" error, then close): settle, so nothing waits
    // on it; the answer is lost with the connection.
    const cutOff = () => {
      if (!ended && !over) {
        over = true;
        resolve({ ok: false, status: 400 });
      }
    };
    req.on("error", cutOff);
    req.on("close", cutOff);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: { status: number; code: string; error: string },
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function tokenDigest(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

/**
 * The collector's HTTP surface, shared by the standalone server and the all-in-one backend:
 * `POST /e`, `GET /p.gif`, `GET /s.js`, `GET /healthz`, `GET /metrics` (with
 * `collector.metricsToken`), `POST /internal/ndjson` (with `collector.internalToken`).
 */
export function createCollectorHandler(options: CollectorHandlerOptions): CollectorHandler {
  const { collector, log } = options;
  const metrics = options.metrics ?? new CollectorMetrics();
  const now = options.now ?? Date.now;
  const clientIp = createClientIpResolver(options.trustedProxies);
  const share = Math.max(1, options.workers ?? 1);
  const ipBuckets = new TokenBuckets(collector.ipRatePerSecond / share, collector.ipBurst);
  const siteBuckets = new TokenBuckets(collector.siteRatePerSecond / share, collector.siteBurst);
  const extraQueryKeys = new Set(collector.extraQueryKeys.map((k) => k.toLowerCase()));
  const internalToken = collector.internalToken ? tokenDigest(collector.internalToken) : null;
  const metricsToken = collector.metricsToken ? tokenDigest(collector.metricsToken) : null;
  let lastWriteFailedAt = 0;
  let lastWriteOkAt = 0;

  const append = async (lines: string) => {
    try {
      await options.append(lines);
      lastWriteOkAt = now();
    } catch (error) {
      lastWriteFailedAt = now();
      metrics.local.writeFailures++;
      throw error;
    }
  };

  /** The salted IP hash keys the per-client bucket: no raw IP is kept even in memory. */
  async function ipKey(ip: string, at: number): Promise<string> {
    const salt = await options.salts.saltFor(utcDay(at));
    return createHmac("sha256", salt).update(`rate|${ip}`).digest("base64url").slice(0, 22);
  }

  async function rateLimitIp(ip: string, at: number): Promise<number> {
    if (!ipBuckets.enabled) return 0;
    const wait = ipBuckets.take(await ipKey(ip, at), 1, at);
    if (wait > 0) metrics.rateLimited("ip");
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

  const ingestDeps: IngestDeps = {
    salts: options.salts,
    sites: options.sites,
    geo: options.geo,
    extraQueryKeys,
    cookieless: collector.cookieless,
    hmac: nodeHmacHex,
    append,
    now,
    log,
    admit: (rows) => {
      if (!siteBuckets.enabled) return 0;
      const wait = siteBuckets.take(rows[0]?.site_id ?? "", rows.length, now());
      if (wait > 0) metrics.rateLimited("site");
      return wait;
    },
  };

  async function recordBatch(req: IncomingMessage, body: string, ip: string) {
    const privacy =
      collector.honorPrivacySignals &&
      (header(req, "sec-gpc")?.trim() === "1" || header(req, "dnt")?.trim() === "1");
    return ingest(
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
      ingestDeps,
    );
  }

  function account(result: Awaited<ReturnType<typeof recordBatch>>): void {
    metrics.rejected(result.rejected);
    metrics.local.eventsAccepted += result.accepted;
    metrics.local.bytesWritten += result.written;
    if (result.body && result.status !== 429) metrics.batchRejected(result.body.code);
  }

  async function postEvents(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const headers = cors(req);
    const body = await readBody(req, LIMITS.bodyBytes);
    if (!body.ok) {
      metrics.batchRejected(body.status === 413 ? "BODY_TOO_LARGE" : "BODY_INCOMPLETE");
      return bodyError(res, body.status, LIMITS.bodyBytes, headers);
    }
    metrics.local.bytesReceived += body.bytes;
    const at = now();
    const ip = clientIp(req.socket.remoteAddress ?? "", (name) => header(req, name));
    const wait = ipBuckets.enabled ? await rateLimitIp(ip, at) : 0;
    if (wait > 0) {
      sendJson(
        res,
        429,
        { status: 429, code: "RATE_LIMITED", error: "too many requests from this client" },
        { ...headers, "retry-after": String(wait) },
      );
      return 429;
    }
    const result = await recordBatch(req, body.text, ip);
    account(result);
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
  }

  /** Always the same 1×1 GIF: an <img> cannot act on errors, and no-store keeps each hit a hit. */
  async function getPixel(req: IncomingMessage, res: ServerResponse, query: string) {
    const at = now();
    const batch = pixelBatch(new URLSearchParams(query), header(req, "referer"), at);
    let status = 400;
    if (batch === null) metrics.batchRejected("PIXEL_INCOMPLETE");
    else {
      const ip = clientIp(req.socket.remoteAddress ?? "", (name) => header(req, name));
      if ((await rateLimitIp(ip, at)) > 0) status = 429;
      else {
        const result = await recordBatch(req, batch, ip);
        account(result);
        status = result.status;
      }
    }
    res.writeHead(200, {
      "content-type": "image/gif",
      "content-length": PIXEL_GIF.byteLength,
      "cache-control": "no-store, max-age=0",
    });
    res.end(PIXEL_GIF);
    return status;
  }

  /**
   * Answers 404 while `token` is not configured (the endpoint does not exist) and 401 unless the
   * request carries it as a bearer token; null when it may go on. Digests are compared, so the
   * comparison takes the same time whatever was sent.
   */
  function bearer(req: IncomingMessage, res: ServerResponse, token: Buffer | null): number | null {
    if (!token) {
      sendJson(res, 404, { status: 404, code: "NOT_FOUND", error: "not found" });
      return 404;
    }
    const auth = header(req, "authorization") ?? "";
    const given = auth.startsWith("Bearer ") ? tokenDigest(auth.slice(7).trim()) : null;
    if (!given || !timingSafeEqual(given, token)) {
      sendJson(
        res,
        401,
        { status: 401, code: "UNAUTHORIZED", error: "a valid bearer token is required" },
        { "www-authenticate": "Bearer" },
      );
      return 401;
    }
    return null;
  }

  async function postInternal(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const refused = bearer(req, res, internalToken);
    if (refused !== null) return refused;
    const body = await readBody(req, INTERNAL_BODY_BYTES);
    if (!body.ok) return bodyError(res, body.status, INTERNAL_BODY_BYTES, {});
    metrics.local.bytesReceived += body.bytes;
    const lines = body.text.endsWith("\n") ? body.text.slice(0, -1) : body.text;
    let out = "";
    let count = 0;
    const parts = lines === "" ? [] : lines.split("\n");
    for (const [index, line] of parts.entries()) {
      const bad = (why: string) => {
        metrics.batchRejected("INVALID_ROW");
        sendJson(res, 400, {
          status: 400,
          code: "INVALID_ROW",
          error: `line ${index + 1}: ${why}; nothing was written`,
        });
        return 400;
      };
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        return bad("not valid JSON");
      }
      const row = eventRowSchema.safeParse(json);
      if (!row.success) {
        const issue = row.error.issues[0];
        const field = issue?.path.length ? issue.path.join(".") : "row";
        const what =
          issue?.code === "unrecognized_keys" ? `unknown column ${issue.keys.join(", ")}` : "";
        return bad(`${field}: ${what || issue?.message || "invalid row"}`);
      }
      out += `${JSON.stringify(row.data)}\n`;
      count++;
    }
    if (count === 0) {
      metrics.batchRejected("EMPTY_BODY");
      sendJson(res, 400, { status: 400, code: "EMPTY_BODY", error: "no NDJSON lines" });
      return 400;
    }
    try {
      await append(out);
    } catch (error) {
      log(`spool write failed: ${(error as Error).message}`);
      sendJson(res, 503, {
        status: 503,
        code: "SPOOL_UNAVAILABLE",
        error: "rows could not be stored, retry later",
      });
      return 503;
    }
    metrics.local.eventsAccepted += count;
    metrics.local.bytesWritten += Buffer.byteLength(out);
    res.writeHead(204);
    res.end();
    return 204;
  }

  function healthz(res: ServerResponse): number {
    // Unhealthy while the latest write attempt failed: the spool disk is full or gone.
    const ok = lastWriteFailedAt === 0 || lastWriteOkAt > lastWriteFailedAt;
    const text = JSON.stringify({
      status: ok ? "ok" : "failing",
      spool: ok ? "ok" : "write failed",
    });
    const status = ok ? 200 : 503;
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
    });
    res.end(text);
    return status;
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string): Promise<number> {
    const q = path.indexOf("?");
    const pathname = q === -1 ? path : path.slice(0, q);
    const method = req.method ?? "GET";
    if (pathname === "/e") {
      if (method === "POST") return postEvents(req, res);
      if (method === "OPTIONS") {
        res.writeHead(204, {
          ...cors(req),
          "access-control-allow-methods": "POST",
          "access-control-allow-headers": "content-type",
          "access-control-max-age": "86400",
        });
        res.end();
        return 204;
      }
    } else if (method === "GET" || method === "HEAD") {
      if (pathname === "/p.gif") return getPixel(req, res, q === -1 ? "" : path.slice(q + 1));
      const script = pathname === "/s.js" ? options.tracker : options.plugins?.get(pathname);
      if (script) {
        const served = serveTrackerAsset(
          script,
          header(req, "accept-encoding"),
          header(req, "if-none-match"),
        );
        res.writeHead(served.status, served.headers);
        res.end(method === "HEAD" ? undefined : (served.body ?? undefined));
        return served.status;
      }
      if (pathname === "/healthz") return healthz(res);
      if (pathname === "/metrics") {
        // Behind the first-party proxy /sl/metrics is on the public internet: a token, or nothing.
        const refused = bearer(req, res, metricsToken);
        if (refused !== null) return refused;
        const text = metrics.render(options.spoolDir);
        res.writeHead(200, {
          "content-type": "text/plain; version=0.0.4; charset=utf-8",
          "cache-control": "no-store",
        });
        res.end(text);
        return 200;
      }
    } else if (pathname === "/internal/ndjson" && method === "POST") {
      return postInternal(req, res);
    }
    const known = ["/e", "/p.gif", "/s.js", "/healthz", "/metrics", "/internal/ndjson"];
    if (known.includes(pathname) && !(pathname === "/s.js" && !options.tracker)) {
      sendJson(res, 405, { status: 405, code: "METHOD_NOT_ALLOWED", error: "method not allowed" });
      return 405;
    }
    sendJson(res, 404, { status: 404, code: "NOT_FOUND", error: "not found" });
    return 404;
  }

  const ROUTES = new Set(["/e", "/p.gif", "/s.js", "/healthz", "/metrics", "/internal/ndjson"]);

  return async (req, res, path) => {
    const q = path.indexOf("?");
    const pathname = q === -1 ? path : path.slice(0, q);
    let status = 500;
    try {
      status = await route(req, res, path);
    } catch (error) {
      // Messages only: errors never carry request headers or addresses.
      log(`collector error on ${pathname}: ${(error as Error).message}`);
      if (!res.headersSent) {
        sendJson(res, 500, { status: 500, code: "INTERNAL", error: "internal error" });
      } else res.destroy();
    }
    metrics.request(ROUTES.has(pathname) ? pathname : "other", status);
  };
}
