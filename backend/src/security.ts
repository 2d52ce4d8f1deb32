import fastifyHelmet from "@fastify/helmet";
import fastifyRateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { ApiError } from "./errors.ts";

/**
 * The dashboard's Content-Security-Policy. Vite builds external module scripts only, so scripts
 * need no 'unsafe-inline'; styles do (React and ECharts set style attributes). The favicon is a
 * data: URL, an image. Nothing may frame the dashboard; a share link's page may be framed by the
 * origins its owner listed (`frameableCsp`).
 */
export const DASHBOARD_CSP = {
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  "script-src-attr": ["'none'"],
  "style-src": ["'self'", "'unsafe-inline'"],
  "img-src": ["'self'", "data:", "blob:"],
  "font-src": ["'self'", "data:"],
  "connect-src": ["'self'"],
  "worker-src": ["'self'", "blob:"],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
};

/**
 * Headers of the tracker's answers (`/sl/*`). They are served on customers' own domains through
 * the first-party proxy and loaded by their pages, so only what cannot break that: nosniff, and
 * a resource policy that lets any page load `s.js` (helmet's default, same-origin, would block a
 * cross-origin `<script>` in browsers that enforce it). No HSTS, CSP or frame options: those
 * would speak for the customer's domain.
 */
export const TRACKER_HELMET = {
  contentSecurityPolicy: false,
  crossOriginEmbedderPolicy: false,
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: { policy: "cross-origin" },
  originAgentCluster: false,
  referrerPolicy: false,
  strictTransportSecurity: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
} as const;

/** The dashboard's policy with `frame-ancestors` set to these origins (`'none'` for none). */
export function frameableCsp(origins: readonly string[]): string {
  const directives = {
    ...DASHBOARD_CSP,
    "frame-ancestors": origins.length ? [...origins] : ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join(";");
}

/**
 * URLs as logs show them: the path only. Query strings may hold one-time tokens (`?setup=`), and
 * a share link's path holds its token (`/share/<token>`).
 */
export function loggedUrl(url: string): string {
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  const shown = path.startsWith("/share/") ? "/share/…" : path;
  return q === -1 ? shown : `${shown}?…`;
}

/** The request serializer of every log: method and path, never the address or the query. */
export const requestSerializer = (req: { method: string; url: string }) => ({
  method: req.method,
  url: loggedUrl(req.url),
});

/**
 * Security headers on every answer and the rate limiter that auth routes opt into
 * (`config.rateLimit`). Registered before every route.
 */
export const securityPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(fastifyHelmet, {
      contentSecurityPolicy: { useDefaults: false, directives: DASHBOARD_CSP },
      // The dashboard's modules are same-origin; COEP would only get in the way of nothing.
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: "same-origin" },
      // frame-ancestors says it to browsers that read CSP; this to the ones that do not.
      xFrameOptions: { action: "deny" },
      // No includeSubDomains: the instance may share a domain with sites it does not own.
      strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
    });
    await app.register(fastifyRateLimit, {
      global: false,
      // The client as the collector sees it: forwarding headers only from trusted proxies.
      keyGenerator: (request) => app.clientAddress(request),
      errorResponseBuilder: (_request, context) =>
        new ApiError(
          429,
          "RATE_LIMITED",
          `Too many requests from this address: try again in ${Math.ceil(context.ttl / 1000)} seconds`,
          undefined,
          { "retry-after": String(Math.ceil(context.ttl / 1000)) },
        ),
    });
  },
  { name: "sightline-security", dependencies: ["sightline-auth"] },
);
