import { createCollectorHandler, openGeoLookup } from "@sightline/collector-node";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";
import { TRACKER_HELMET } from "../security.ts";

/**
 * The first-party ingest path (`/sl/e`, `/sl/s.js`, `/sl/p.gif`, `/sl/healthz`, `/sl/metrics`,
 * `/sl/internal/ndjson`): the very handler the standalone collector runs, so validation, privacy,
 * rate limits and metrics are identical. It takes the raw request before Fastify parses a body.
 * Its answers get the tracker's headers only (TRACKER_HELMET): customer pages load them.
 */
export async function ingestRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const { settings } = ctx;
  const handler = createCollectorHandler({
    salts: ctx.salts,
    sites: { get: (id) => ctx.store.getSite(id) },
    geo: openGeoLookup(settings.collector.geoDatabase || undefined),
    append: (lines) => ctx.appendToSpool(lines),
    tracker: ctx.tracker,
    plugins: ctx.trackerPlugins,
    trustedProxies: settings.server.trustedProxies,
    collector: settings.collector,
    spoolDir: settings.spool.dir,
    now: ctx.now,
    // Messages only: the handler never passes addresses or headers to its log.
    log: (message) => app.log.error(message),
  });
  const prefix = app.prefix;

  app.addHook("onRequest", async (request, reply) => {
    reply.hijack();
    await handler(request.raw, reply.raw, request.url.slice(prefix.length) || "/");
  });
  // Routes exist so the hook runs for every path under the prefix; it always answers first.
  const unreachable = async () => {
    throw new Error("the collector handler answers every /sl request");
  };
  app.all("/", { helmet: TRACKER_HELMET }, unreachable);
  app.all("/*", { helmet: TRACKER_HELMET }, unreachable);
}
