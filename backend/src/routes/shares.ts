import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { SiteLocator } from "../auth/locators.ts";
import { allows } from "../auth/permissions.ts";
import type { AppContext } from "../context.ts";
import { errors } from "../errors.ts";
import { Revoked } from "../schemas/auth.ts";
import { errorResponses } from "../schemas/common.ts";
import { CreateShareBody, ShareCreated, ShareList, ShareParams } from "../schemas/shares.ts";
import { dashboardSites } from "../store/dashboards.ts";
import type { Share } from "../store/shares.ts";
import { actor } from "./auth.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Where the dashboard opens a share link: `/share/<token>` (src/routes/dashboard.ts). */
export const SHARE_PATH = "/share/";
const tags = ["shares"];

/** The sites a new link would show: the site, or the dashboard's (none when it does not exist). */
export const shareBody: SiteLocator = {
  label: "body `site`, or the body `dashboard`'s sites",
  find: (r, ctx) => {
    const body = r.body as CreateShareBody | undefined;
    if (body?.site !== undefined) return [body.site];
    const dashboard = ctx.store.dashboards.get(body?.dashboard ?? "");
    return dashboard ? dashboardSites(dashboard) : [];
  },
};

export const shareParam: SiteLocator = {
  label: "the link's sites",
  find: (r, ctx) => ctx.store.shares.get((r.params as { id?: string }).id ?? "")?.sites ?? [],
};

export function shareUrl(app: FastifyInstance, request: FastifyRequest, token: string): string {
  const host = request.headers.host ?? "localhost";
  return `${app.overHttps(request) ? "https" : "http"}://${host}${SHARE_PATH}${token}`;
}

/** Share links: made, listed and revoked by those who may share on every site they show. */
export const shareRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const view = (s: Share) => ({
    id: s.id,
    kind: s.kind,
    target: s.target,
    name: s.name,
    sites: s.sites,
    frameAncestors: s.frameAncestors,
    expiresAt: s.expiresAt,
    expired: ctx.store.shares.expired(s),
    hasPassword: s.hasPassword,
    views: s.views,
    lastViewedAt: s.lastViewedAt,
    createdAt: s.createdAt,
    createdBy: s.createdBy.email,
  });

  app.get(
    "/shares",
    {
      config: { access: { action: "shares.manage" } },
      schema: {
        summary: "The share links of sites you may share, newest first",
        tags,
        response: { 200: ShareList, ...errorResponses },
      },
    },
    async (request) => ({
      shares: ctx.store.shares
        .list()
        .filter((s) => s.sites.every((site) => allows(request.principal, "shares.manage", site)))
        .map(view),
    }),
  );

  app.post(
    "/shares",
    {
      config: { access: { action: "shares.manage", sites: shareBody } },
      schema: {
        summary: "Make a read-only share link to a site's dashboard or a custom dashboard",
        description:
          "Give exactly one of `site` and `dashboard`. Anyone with the link (and the password, if set) sees that dashboard and nothing else: no other site, no query its widgets do not draw, no write. The link is in this answer only.",
        tags,
        body: CreateShareBody,
        response: { 201: ShareCreated, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { site, dashboard, password, expiresInDays, frameAncestors = [] } = request.body;
      if ((site === undefined) === (dashboard === undefined)) {
        throw errors.badRequest("body: give exactly one of `site` and `dashboard`");
      }
      let sites: string[];
      let name = request.body.name ?? "";
      if (site !== undefined) {
        const found = ctx.store.getSite(site);
        if (!found) throw errors.siteNotFound(site);
        sites = [site];
        name ||= found.name;
      } else {
        const found = ctx.store.dashboards.get(dashboard ?? "");
        if (!found) throw errors.dashboardNotFound(dashboard ?? "");
        sites = dashboardSites(found);
        name ||= found.name;
      }
      const passwordHash = password !== undefined ? await ctx.passwords.hash(password) : undefined;
      const by = actor(request.principal) ?? { id: "", email: "" };
      const created = ctx.store.transaction(() => {
        const result = ctx.store.shares.create(
          {
            kind: site !== undefined ? "site" : "dashboard",
            target: site ?? dashboard ?? "",
            name,
            sites,
            frameAncestors: frameAncestors.map((o) => o.toLowerCase()),
            createdBy: by,
          },
          expiresInDays !== undefined ? expiresInDays * DAY_MS : null,
          passwordHash,
        );
        ctx.store.audit.record({
          actor: by,
          action: "share.created",
          target: { type: "share", id: result.share.id, label: name },
          ...(sites.length === 1 && sites[0] !== undefined ? { site: sites[0] } : {}),
          details: {
            kind: result.share.kind,
            target: result.share.target,
            sites,
            locked: passwordHash !== undefined,
            expiresAt: result.share.expiresAt,
            frameAncestors: result.share.frameAncestors,
          },
        });
        return result;
      });
      return reply
        .code(201)
        .send({ share: view(created.share), url: shareUrl(app, request, created.token) });
    },
  );

  app.delete(
    "/shares/:id",
    {
      config: { access: { action: "shares.manage", sites: shareParam } },
      schema: {
        summary: "Revoke a share link: its viewers are refused from their next request",
        tags,
        params: ShareParams,
        response: { 200: Revoked, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      ctx.store.transaction(() => {
        const share = ctx.store.shares.get(id);
        if (!share) throw errors.shareNotFound(id);
        ctx.store.shares.revoke(id);
        ctx.store.audit.record({
          actor: actor(request.principal),
          action: "share.revoked",
          target: { type: "share", id, label: share.name },
          details: { kind: share.kind, target: share.target, views: share.views },
        });
      });
      return { id, revoked: true as const };
    },
  );
};
