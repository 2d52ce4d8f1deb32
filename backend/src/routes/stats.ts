import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { querySite } from "../auth/locators.ts";
import type { AppContext } from "../context.ts";
import { errors } from "../errors.ts";
import { resolveRange } from "../query/time.ts";
import { dailyStats } from "../reports/daily.ts";
import { queryErrorResponses } from "../schemas/common.ts";
import { DailyQuery, DailyStats } from "../schemas/stats.ts";

export const statsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    "/stats/daily",
    {
      config: { access: { action: "reports.read", sites: querySite } },
      schema: {
        summary: "Pageviews and visitors per local day of one site",
        tags: ["stats"],
        querystring: DailyQuery,
        response: { 200: DailyStats, ...queryErrorResponses },
      },
      preHandler: async (request) => {
        // The same checks, and the same 400s, as every other route with a range.
        resolveRange(request.query, "day", "querystring");
        if (!ctx.store.getSite(request.query.site)) throw errors.siteNotFound(request.query.site);
      },
    },
    async (request) => dailyStats(ctx.ch, request.query),
  );
};
