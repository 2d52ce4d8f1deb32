import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppContext } from "../context.ts";
import { errors } from "../errors.ts";
import { errorResponses } from "../schemas/common.ts";
import { CreateSiteBody, SiteList, SiteView } from "../schemas/sites.ts";

export const siteRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    "/sites",
    { onRequest: [app.authenticate], schema: { response: { 200: SiteList, ...errorResponses } } },
    async () => ({ sites: ctx.store.listSites() }),
  );

  app.post(
    "/sites",
    {
      onRequest: [app.requireAdmin],
      schema: { body: CreateSiteBody, response: { 201: SiteView, ...errorResponses } },
    },
    async (request, reply) => {
      const { id, name, domains } = request.body;
      const site = ctx.store.createSite({ id, name: name ?? id, domains });
      if (!site) throw errors.siteExists(id);
      return reply.code(201).send(site);
    },
  );
};
