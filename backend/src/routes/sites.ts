import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Retention } from "@sightline/config";
import { paramSite } from "../auth/locators.ts";
import { allows, mayAssign, type Principal, type SiteRole } from "../auth/permissions.ts";
import type { AppContext } from "../context.ts";
import { errors } from "../errors.ts";
import { isKnownZone } from "../query/zones.ts";
import { siteStatus } from "../reports/status.ts";
import { errorResponses, queryErrorResponses } from "../schemas/common.ts";
import {
  CreateSiteBody,
  DeleteSiteBody,
  MemberParams,
  SiteDeleted,
  SiteList,
  SiteParams,
  SiteStatus,
  SiteView,
  UpdateSiteBody,
} from "../schemas/sites.ts";
import { AddMemberBody, Deleted, MemberList, MemberView, SetRoleBody } from "../schemas/users.ts";
import type { Site } from "../store/store.ts";
import type { User } from "../store/users.ts";
import { actor } from "./auth.ts";

/** Only the fields SiteView lists: the stored record also holds createdAt and updatedAt. */
const view = (site: Site): SiteView => ({
  id: site.id,
  name: site.name,
  domains: site.domains,
  timezone: site.timezone,
  retention: site.retention,
  identity: site.identity,
  features: site.features,
});

/** A zone every report can run in, or a 400 naming the field (same words as a report's tz). */
function checkTimezone(timezone: string | undefined): void {
  if (timezone !== undefined && !isKnownZone(timezone)) {
    throw errors.badRequest(`body/timezone: "${timezone}" is not a time zone the database knows`);
  }
}

function checkRetention(retention: Retention | undefined): void {
  if (retention && retention.rollupMonths < retention.rawMonths) {
    throw errors.badRequest(
      `body/retention/rollupMonths: rollups are made from raw events, so keep them at least as long (${retention.rawMonths} months), not ${retention.rollupMonths}`,
    );
  }
}

const sameRetention = (a: Retention, b: Retention) =>
  a.rawMonths === b.rawMonths && a.rollupMonths === b.rollupMonths;

const member = (user: User, site: string) => ({
  userId: user.id,
  email: user.email,
  role: user.roles[site] ?? ("viewer" as const),
  disabled: user.disabled,
});

export const siteRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ["sites"];
  const load = (id: string): Site => {
    const site = ctx.store.getSite(id);
    if (!site) throw errors.siteNotFound(id);
    return site;
  };

  app.get(
    "/sites",
    {
      config: { access: { action: "sites.list" } },
      schema: {
        summary: "The sites you have a role on (every site, for an instance admin)",
        tags,
        response: { 200: SiteList, ...errorResponses },
      },
    },
    async (request) => ({
      sites: ctx.store
        .listSites()
        .filter((s) => allows(request.principal, "reports.read", s.id))
        .map(view),
    }),
  );

  app.get(
    "/sites/:id",
    {
      config: { access: { action: "reports.read", sites: paramSite("id") } },
      schema: {
        summary: "One site",
        tags,
        params: SiteParams,
        response: { 200: SiteView, ...errorResponses },
      },
    },
    async (request) => view(load(request.params.id)),
  );

  app.post(
    "/sites",
    {
      config: { access: { action: "sites.create" } },
      schema: {
        summary: "Create a site",
        description:
          "The creator becomes its owner. A retention other than the default is written to the database's TTLs first.",
        tags,
        body: CreateSiteBody,
        response: { 201: SiteView, ...queryErrorResponses },
      },
    },
    async (request, reply) => {
      const { id, name, domains, timezone, retention, identity, features } = request.body;
      checkTimezone(timezone);
      checkRetention(retention);
      if (ctx.store.getSite(id)) throw errors.siteExists(id);
      // ClickHouse first: if it fails, no site exists that the TTLs do not know.
      if (retention) await ctx.siteData.setRetention(id, retention);
      const site = ctx.store.transaction(() => {
        const created = ctx.store.createSite({
          id,
          name: name ?? id,
          domains,
          timezone,
          retention,
          identity,
          features,
        });
        if (!created) throw errors.siteExists(id);
        const principal = request.principal;
        if (principal) {
          ctx.store.users.update(principal.id, (u) => ({
            ...u,
            roles: { ...u.roles, [id]: "owner" },
          }));
        }
        ctx.store.audit.record({
          actor: actor(principal),
          action: "site.created",
          target: { type: "site", id, label: created.name },
          site: id,
          details: { domains, timezone: created.timezone, identity: created.identity },
        });
        return created;
      });
      return reply.code(201).send(view(site));
    },
  );

  app.patch(
    "/sites/:id",
    {
      config: { access: { action: "sites.edit", sites: paramSite("id") } },
      schema: {
        summary:
          "Change a site's name, domains, time zone, retention, tracker identity mode or features",
        description:
          "Fields not given stay. A new retention is written to the database's TTLs (and re-applied to stored data) before the site changes.",
        tags,
        params: SiteParams,
        body: UpdateSiteBody,
        response: { 200: SiteView, ...queryErrorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const changes = request.body;
      checkTimezone(changes.timezone);
      checkRetention(changes.retention);
      const before = load(id);
      if (changes.retention && !sameRetention(changes.retention, before.retention)) {
        await ctx.siteData.setRetention(id, changes.retention);
      }
      const site = ctx.store.transaction(() => {
        const updated = ctx.store.updateSite(id, changes);
        if (!updated) throw errors.siteNotFound(id);
        ctx.store.audit.record({
          actor: actor(request.principal),
          action: "site.updated",
          target: { type: "site", id, label: updated.name },
          site: id,
          details: {
            fields: Object.keys(changes),
            ...(changes.retention
              ? {
                  rawMonths: changes.retention.rawMonths,
                  rollupMonths: changes.retention.rollupMonths,
                }
              : {}),
            ...(changes.identity ? { identity: changes.identity } : {}),
            ...(changes.features ? { features: changes.features } : {}),
          },
        });
        return updated;
      });
      return view(site);
    },
  );

  app.delete(
    "/sites/:id",
    {
      config: { access: { action: "sites.delete", sites: paramSite("id") } },
      schema: {
        summary: "Delete a site and all its data",
        description:
          'The body must repeat the site\'s id (`{confirm: "<id>"}`). Deletes its events, bot events and rollups from the database (waiting until they are gone), then in one transaction the site, every role on it, its error triage, and its place in dashboards: widgets of this site only are removed, dashboards of this site only are deleted.',
        tags,
        params: SiteParams,
        body: DeleteSiteBody,
        response: { 200: SiteDeleted, ...queryErrorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (request.body.confirm !== id) throw errors.confirmMismatch(id);
      load(id);
      // The data first: if the database fails, the site stays and the delete can be retried.
      await ctx.siteData.deleteData(id);
      const who = actor(request.principal);
      const result = ctx.store.transaction(() => {
        const removed = ctx.store.deleteSite(id, who?.email ?? "");
        if (!removed) throw errors.siteNotFound(id);
        ctx.store.audit.record({
          actor: who,
          action: "site.deleted",
          target: { type: "site", id, label: removed.site.name },
          site: id,
          details: {
            domains: removed.site.domains,
            members: removed.members,
            dashboardsChanged: removed.dashboards.changed,
            dashboardsDeleted: removed.dashboards.deleted,
          },
        });
        return removed;
      });
      return {
        id,
        deleted: true as const,
        members: result.members,
        dashboards: result.dashboards,
      };
    },
  );

  app.get(
    "/sites/:id/status",
    {
      config: { access: { action: "reports.read", sites: paramSite("id") } },
      schema: {
        summary: "Whether a site has data: first and last event, events of the last 24 hours",
        description:
          "For the dashboard's empty state (polled while a new site waits for its first event) and its all-time range. First and last count human traffic only; bots are counted apart, so a site that so far got only automated traffic can say so.",
        tags,
        params: SiteParams,
        response: { 200: SiteStatus, ...queryErrorResponses },
      },
    },
    async (request) => {
      load(request.params.id);
      return siteStatus(ctx.ch, request.params.id, (ctx.now ?? Date.now)());
    },
  );

  // Members: who has which role on a site.

  app.get(
    "/sites/:id/members",
    {
      config: { access: { action: "members.manage", sites: paramSite("id") } },
      schema: {
        summary: "The site's members and their roles",
        tags,
        params: SiteParams,
        response: { 200: MemberList, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      load(id);
      return {
        members: ctx.store.users
          .list()
          .filter((u) => id in u.roles)
          .map((u) => member(u, id)),
      };
    },
  );

  /** Sets (role) or removes (null) a user's role on a site, checked and audited. */
  const assign = (principal: Principal, site: string, user: User, role: SiteRole | null): User => {
    const current = user.roles[site] ?? null;
    if (!mayAssign(principal, site, role, current)) {
      throw errors.forbidden(
        current === "owner"
          ? `Only an owner of "${site}" may change or remove an owner`
          : `Only an owner of "${site}" may make owners`,
      );
    }
    return ctx.store.transaction(() => {
      const updated = ctx.store.users.update(user.id, (u) => {
        const { [site]: _, ...rest } = u.roles;
        return { ...u, roles: role ? { ...rest, [site]: role } : rest };
      });
      if (!updated) throw errors.userNotFound(`"${user.id}"`);
      ctx.store.audit.record({
        actor: actor(principal),
        action: role === null ? "member.removed" : current ? "member.role_changed" : "member.added",
        target: { type: "user", id: user.id, label: user.email },
        site,
        details: { from: current, to: role },
      });
      return updated;
    });
  };

  app.post(
    "/sites/:id/members",
    {
      config: { access: { action: "members.manage", sites: paramSite("id") } },
      schema: {
        summary: "Give a role on the site to someone who has an account (by email)",
        description:
          "404 when no account has that email: invite them instead (POST /invitations). Takes effect at their next request.",
        tags,
        params: SiteParams,
        body: AddMemberBody,
        response: { 200: MemberView, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      load(id);
      const user = ctx.store.users.byEmail(request.body.email);
      if (!user) {
        throw errors.userNotFound(
          `with the email ${request.body.email.trim().toLowerCase()}: invite them instead`,
        );
      }
      const principal = request.principal;
      if (!principal) throw errors.unauthorized();
      return member(assign(principal, id, user, request.body.role), id);
    },
  );

  app.put(
    "/sites/:id/members/:userId",
    {
      config: { access: { action: "members.manage", sites: paramSite("id") } },
      schema: {
        summary: "Set a user's role on the site (takes effect at their next request)",
        tags,
        params: MemberParams,
        body: SetRoleBody,
        response: { 200: MemberView, ...errorResponses },
      },
    },
    async (request) => {
      const { id, userId } = request.params;
      load(id);
      const user = ctx.store.users.get(userId);
      if (!user) throw errors.userNotFound(`"${userId}"`);
      const principal = request.principal;
      if (!principal) throw errors.unauthorized();
      return member(assign(principal, id, user, request.body.role), id);
    },
  );

  app.delete(
    "/sites/:id/members/:userId",
    {
      config: { access: { action: "members.manage", sites: paramSite("id") } },
      schema: {
        summary: "Remove a user's role on the site (takes effect at their next request)",
        tags,
        params: MemberParams,
        response: { 200: Deleted, ...errorResponses },
      },
    },
    async (request) => {
      const { id, userId } = request.params;
      load(id);
      const user = ctx.store.users.get(userId);
      if (!user || !(id in user.roles)) throw errors.userNotFound(`"${userId}" on site "${id}"`);
      const principal = request.principal;
      if (!principal) throw errors.unauthorized();
      assign(principal, id, user, null);
      return { id: userId, deleted: true as const };
    },
  );
};
