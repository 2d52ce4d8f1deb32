import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { bodySites } from "../auth/locators.ts";
import type { AppContext } from "../context.ts";
import { errors } from "../errors.ts";
import { queryMeta } from "../query/meta.ts";
import { runQuery } from "../query/run.ts";
import { errorResponses, queryErrorResponses } from "../schemas/common.ts";
import { QueryMeta, QueryResult, QuerySpec } from "../schemas/query.ts";

/** Every site a request names must exist; an unknown one is a 404 naming it. */
export function requireSites(ctx: AppContext, sites: readonly string[]): void {
  for (const site of sites) if (!ctx.store.getSite(site)) throw errors.siteNotFound(site);
}

export const queryRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    "/query",
    {
      config: { access: { action: "reports.read", sites: bodySites } },
      schema: {
        summary: "Run a typed query",
        description:
          "Metrics by dimensions over a range, with filters, sorting, time buckets and an optional comparison period. The spec compiles to SQL with bound values only.",
        tags: ["query"],
        body: QuerySpec,
        response: { 200: QueryResult, ...queryErrorResponses },
      },
      preHandler: async (request) => requireSites(ctx, request.body.sites),
    },
    async (request) => runQuery(ctx.ch, request.body),
  );

  // Built once: it only changes with the code.
  const meta = queryMeta();
  app.get(
    "/query/meta",
    {
      config: { access: { action: "reports.read" } },
      schema: {
        summary: "The query vocabulary: metrics, dimensions, filter operators and limits",
        description:
          "Built from the compiler's own allowlists and the spec's limits, so a widget builder never hard-codes what POST /query accepts.",
        tags: ["query"],
        response: { 200: QueryMeta, ...errorResponses },
      },
    },
    async () => meta,
  );
};
