import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppContext } from "../context.ts";
import { errors } from "../errors.ts";
import { dailyStats, isTimeZone, rangeProblem } from "../reports/daily.ts";
import { errorResponses } from "../schemas/common.ts";
import { DailyQuery, DailyStats } from "../schemas/stats.ts";

export const statsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    "/stats/daily",
    {
      onRequest: [app.authenticate],
      schema: { querystring: DailyQuery, response: { 200: DailyStats, ...errorResponses } },
      preHandler: async (request) => {
        const { site, from, to, tz } = request.query;
        const problem = rangeProblem(from, to);
        if (problem) throw errors.badRequest(`querystring/${problem}`);
        if (!isTimeZone(tz))
          throw errors.badRequest(`querystring/tz: "${tz}" is not a known time zone`);
        if (!ctx.store.getSite(site)) throw errors.siteNotFound(site);
      },
    },
    async (request) => dailyStats(ctx.ch, request.query),
  );
};
