import { relative, sep } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { frameableCsp } from "../security.ts";

/** Hashed file names change with their content, so a browser may keep them for good. */
const IMMUTABLE = "public, max-age=31536000, immutable";
/** Everything else (index.html above all) is checked with the server each time (ETag). */
const REVALIDATE = "no-cache";

/** Vite's output folder for hashed files (`build.assetsDir`). */
const ASSETS = "assets";

/**
 * The built dashboard (frontend/dist) at "/": its files with their brotli or gzip copies
 * (written at build time by frontend/scripts/compress.mjs) chosen by Accept-Encoding, and
 * index.html for every other GET outside /api and /sl, so client-side routes load the app.
 * Must be the last registration: it sets the not-found handler of the whole app.
 */
export async function registerDashboard(
  app: FastifyInstance,
  root: string,
  options: {
    /** The origins that may frame the share link with this token (none: it may not be framed). */
    shareFrameAncestors?: (token: string) => readonly string[];
  } = {},
): Promise<void> {
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: "index.html",
    preCompressed: true,
    // The copies are picked through Accept-Encoding; they get no routes of their own.
    globIgnore: ["**/*.br", "**/*.gz"],
    cacheControl: false,
    setHeaders: (reply, path) => {
      const inAssets = relative(root, path).startsWith(`${ASSETS}${sep}`);
      reply.header("cache-control", inAssets ? IMMUTABLE : REVALIDATE);
    },
  });
  // A share link's page: the dashboard, framable only by the origins its owner listed.
  // A page, not part of the API: kept out of the OpenAPI document like the static files.
  const page = { schema: { hide: true } };
  app.get<{ Params: { token: string } }>("/share/:token", page, async (request, reply) => {
    const origins = options.shareFrameAncestors?.(request.params.token) ?? [];
    reply.header("content-security-policy", frameableCsp(origins));
    if (origins.length) reply.raw.removeHeader("x-frame-options");
    // The token is in the path: no cache keeps the page, no Referer carries it anywhere.
    reply.header("cache-control", "no-store");
    reply.header("referrer-policy", "no-referrer");
    return reply.sendFile("index.html", root);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    const api = path.startsWith("/api/") || path === "/api" || path.startsWith("/sl/");
    // A hashed file that is gone (an old build's) must not come back as HTML with a 200.
    if (request.method === "GET" && !api && !path.startsWith(`/${ASSETS}/`)) {
      return reply.sendFile("index.html", root);
    }
    return reply.code(404).send({
      statusCode: 404,
      code: "NOT_FOUND",
      error: "Not Found",
      message: `No route ${request.method} ${path}`,
    });
  });
}
