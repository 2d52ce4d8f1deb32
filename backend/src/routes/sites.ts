import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppContext } from "../context.ts";
import { errors } from "../errors.ts";
import { isKnownZone } from "../query/zones.ts";
import { siteStatus } from "../reports/status.ts";
import { errorResponses, queryErrorResponses } from "../schemas/common.ts";
import {
  CreateSiteBody,
  SiteList,
  SiteParams,
  SiteStatus,
  SiteView,
  UpdateSiteBody,
} from "../schemas/sites.ts";
import type { Site } from "../store/store.ts";

/** Only the fields SiteView lists: the stored record also holds createdAt. */
const view = (site: Site): SiteView => ({
  id: site.id,
  name: site.name,
  domains: site.domains,
  timezone: site.timezone,
});

/** A zone every report can run in, or a 400 naming the field (same words as a report's tz). */
function checkTimezone(timezone: string | undefined): void {
  if (timezone !== undefined && !isKnownZone(timezone)) {
    throw errors.badRequest(`body/timezone: "${timezone}" is not a time zone the database knows`);
  }
}

export const siteRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    "/sites",
    {
      onRequest: [app.authenticate],
      schema: {
        summary: "All sites",
        tags: ["sites"],
        response: { 200: SiteList, ...errorResponses },
      },
    },
    async () => ({ sites: ctx.store.listSites().map(view) }),
  );

  app.get(
    "/sites/:id",
    {
      onRequest: [app.authenticate],
      schema: {
        summary: "One site",
        tags: ["sites"],
        params: SiteParams,
        response: { 200: SiteView, ...errorResponses },
      },
    },
    async (request) => {
      const site = ctx.store.getSite(request.params.id);
      if (!site) throw errors.siteNotFound(request.params.id);
      return view(site);
    },
  );

  app.post(
    "/sites",
    {
      onRequest: [app.requireAdmin],
      schema: {
        summary: "Create a site",
        tags: ["sites"],
        body: CreateSiteBody,
        response: { 201: SiteView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id, name, domains, timezone } = request.body;
      checkTimezone(timezone);
      const site = ctx.store.createSite({ id, name: name ?? id, domains, timezone });
      if (!site) throw errors.siteExists(id);
      return reply.code(201).send(view(site));
    },
  );

  app.patch(
    "/sites/:id",
    {
      onRequest: [app.requireAdmin],
      schema: {
        summary: "Change a site's name, domains or time zone",
        tags: ["sites"],
        params: SiteParams,
        body: UpdateSiteBody,
        response: { 200: SiteView, ...errorResponses },
      },
    },
    async (request) => {
      checkTimezone(request.body.timezone);
      const site = ctx.store.updateSite(request.params.id, request.body);
      if (!site) throw errors.siteNotFound(request.params.id);
      return view(site);
    },
  );

  app.get(
    "/sites/:id/status",
    {
      onRequest: [app.authenticate],
      schema: {
        summary: "Whether a site has data: first and last event, events of the last 24 hours",
        description:
          "For the dashboard's empty state (polled while a new site waits for its first event) and its all-time range. First and last count human traffic only; bots are counted apart, so a site that so far got only automated traffic can say so.",
        tags: ["sites"],
        params: SiteParams,
        response: { 200: SiteStatus, ...queryErrorResponses },
      },
    },
    async (request) => {
      if (!ctx.store.getSite(request.params.id)) throw errors.siteNotFound(request.params.id);
      return siteStatus(ctx.ch, request.params.id, (ctx.now ?? Date.now)());
    },
  );
};
