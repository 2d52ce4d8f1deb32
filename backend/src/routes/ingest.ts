import { createClientIpResolver, ingest, serveTrackerAsset } from "@sightline/collector-node";
import { LIMITS } from "@sightline/edge";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../context.ts";

/** The first-party ingest contract: `GET /sl/s.js` and `POST /sl/e` (see ARCHITECTURE.md). */
export async function ingestRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const clientIp = createClientIpResolver(ctx.settings.server.trustedProxies);

  // The tracker posts text/plain (a CORS simple request); accept any type and parse it ourselves.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    "*",
    { parseAs: "string", bodyLimit: LIMITS.bodyBytes },
    (_req, body, done) => done(null, body),
  );

  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    const message =
      status === 413
        ? `body is larger than ${LIMITS.bodyBytes} bytes`
        : status < 500
          ? error.message
          : "internal error";
    if (status >= 500) reply.log.error(error);
    return reply.code(status).send({ status, error: message });
  });

  const cors = (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (origin) reply.header("access-control-allow-origin", origin).header("vary", "Origin");
  };

  app.options("/e", async (request, reply) => {
    cors(request, reply);
    return reply
      .header("access-control-allow-methods", "POST")
      .header("access-control-allow-headers", "content-type")
      .header("access-control-max-age", "86400")
      .code(204)
      .send();
  });

  app.post("/e", async (request, reply) => {
    cors(request, reply);
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(",") : value;
    };
    const result = await ingest(
      {
        body: typeof request.body === "string" ? request.body : "",
        ip: clientIp(request.socket.remoteAddress ?? "", header),
        userAgent: header("user-agent") ?? "",
        origin: header("origin") ?? null,
      },
      {
        salts: ctx.salts,
        sites: { get: (id) => ctx.store.getSite(id) },
        append: (lines) => ctx.appendToSpool(lines),
        log: (message) => request.log.error(message),
      },
    );
    if (result.status === 204) return reply.code(204).send();
    return reply.code(result.status).send(result.body);
  });

  app.get("/s.js", async (request, reply) => {
    const served = serveTrackerAsset(
      ctx.tracker,
      request.headers["accept-encoding"],
      request.headers["if-none-match"],
    );
    reply.code(served.status).headers(served.headers);
    return served.body === null ? reply.send() : reply.send(served.body);
  });
}
