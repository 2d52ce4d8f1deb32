import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";

const VERSION = "0.1.0";

/**
 * Collects every route's schemas into an OpenAPI document. Must be registered before the routes
 * it describes. Ingest (/sl) is left out: it is the tracker's, not the API's.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Sightline API",
        version: VERSION,
        description:
          "Reports and the typed query API. Sign in with POST /api/v1/auth/login and send `Authorization: Bearer <token>`.",
      },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      },
      security: [{ bearer: [] }],
    },
    hideUntagged: false,
    transform: ({ schema, url }) => ({
      schema: url.startsWith("/sl/") ? { ...schema, hide: true } : schema,
      url,
    }),
  });
}

/** `GET /openapi.json` and the docs page at `/docs` (Swagger UI, its assets served locally). */
export async function openApiRoutes(api: FastifyInstance): Promise<void> {
  api.get(
    "/openapi.json",
    {
      schema: {
        summary: "This API's OpenAPI document",
        tags: ["meta"],
        security: [],
        response: { 200: Type.Object({}, { additionalProperties: true }) },
      },
    },
    async () => api.swagger(),
  );
  await api.register(fastifySwaggerUi, {
    routePrefix: "/docs",
    // Without the trailing slash the page's asset links must be absolute: they would otherwise
    // resolve against /api/v1/ and the page would stay blank.
    indexPrefix: "/api/v1",
    uiConfig: { url: "/api/v1/openapi.json", deepLinking: true },
    staticCSP: true,
  });
}
