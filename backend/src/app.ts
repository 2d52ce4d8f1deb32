import { STATUS_CODES } from "node:http";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyError, type FastifyServerOptions } from "fastify";
import { authPlugin } from "./auth/plugin.ts";
import type { AppContext } from "./context.ts";
import { ApiError } from "./errors.ts";
import { authRoutes } from "./routes/auth.ts";
import { registerDashboard } from "./routes/dashboard.ts";
import { dashboardRoutes } from "./routes/dashboards.ts";
import { exportRoutes } from "./routes/exports.ts";
import { healthRoutes } from "./routes/health.ts";
import { ingestRoutes } from "./routes/ingest.ts";
import { oidcRoutes } from "./routes/oidc.ts";
import { openApiRoutes, registerOpenApi } from "./routes/openapi.ts";
import { queryRoutes } from "./routes/query.ts";
import { reportRoutes } from "./routes/reports.ts";
import { sharedRoutes } from "./routes/shared.ts";
import { shareRoutes } from "./routes/shares.ts";
import { siteRoutes } from "./routes/sites.ts";
import { statsRoutes } from "./routes/stats.ts";
import { tokenRoutes } from "./routes/tokens.ts";
import { userRoutes } from "./routes/users.ts";
import { requestSerializer, securityPlugin } from "./security.ts";

/** The whole HTTP surface: ingest under /sl, the API under /api/v1, the dashboard at /. */
export async function buildApp(ctx: AppContext, options: FastifyServerOptions = {}) {
  const { logger } = options;
  const app = Fastify({
    ...options,
    // Whatever logger is asked for, requests are logged by method and path only: no addresses,
    // no query strings (they may hold one-time tokens).
    logger: logger
      ? {
          ...(typeof logger === "object" ? logger : {}),
          serializers: {
            ...(typeof logger === "object" ? logger.serializers : {}),
            req: requestSerializer,
          },
        }
      : false,
    // `discriminator`: a widget's source is checked against the one branch its `kind` names, so
    // a bad spec inside it is reported at its own path, not as "must match a schema in oneOf".
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: "array",
        allErrors: false,
        discriminator: true,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      if (error.headers) reply.headers(error.headers);
      return reply.code(error.statusCode).send({
        statusCode: error.statusCode,
        code: error.code,
        error: error.code,
        message: error.message,
        ...error.details,
      });
    }
    const status = error.statusCode ?? 500;
    if (error.validation) {
      return reply.code(400).send({
        statusCode: 400,
        code: "VALIDATION_FAILED",
        error: "Bad Request",
        message: error.message,
      });
    }
    if (status < 500) {
      // Fastify's own 4xx (a body too large, an unsupported media type) keep their own status text.
      return reply.code(status).send({
        statusCode: status,
        code: error.code ?? "BAD_REQUEST",
        error: STATUS_CODES[status] ?? "Client Error",
        message: error.message,
      });
    }
    request.log.error(error);
    return reply.code(500).send({
      statusCode: 500,
      code: "INTERNAL",
      error: "Internal Server Error",
      message: "Something went wrong on our side; the server log has the details",
    });
  });

  await registerOpenApi(app);
  await app.register(authPlugin, { ctx });
  await app.register(securityPlugin);
  await app.register(healthRoutes, { ctx });
  await app.register(ingestRoutes, { prefix: "/sl", ctx });
  await app.register(
    async (api) => {
      await api.register(authRoutes, { ctx });
      await api.register(oidcRoutes, { ctx });
      await api.register(userRoutes, { ctx });
      await api.register(tokenRoutes, { ctx });
      await api.register(siteRoutes, { ctx });
      await api.register(statsRoutes, { ctx });
      await api.register(queryRoutes, { ctx });
      await api.register(exportRoutes, { ctx });
      await api.register(reportRoutes, { ctx });
      await api.register(dashboardRoutes, { ctx });
      await api.register(shareRoutes, { ctx });
      await api.register(sharedRoutes, { ctx });
      await api.register(openApiRoutes);
    },
    { prefix: "/api/v1" },
  );

  await registerDashboard(app, ctx.frontendDir, {
    shareFrameAncestors: (token) => {
      const found = ctx.store.shares.find(token);
      return found.status === "ok" ? found.share.frameAncestors : [];
    },
  });
  return app;
}
