import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { durationMs } from "@sightline/config";
import { invitationBody, invitationParam } from "../auth/locators.ts";
import { allows, mayAssign, type SiteRole } from "../auth/permissions.ts";
import { linkUrl } from "../auth/session.ts";
import type { AppContext } from "../context.ts";
import { errors } from "../errors.ts";
import { errorResponses } from "../schemas/common.ts";
import {
  AdminUserView,
  AuditPage,
  AuditQuery,
  Deleted,
  InvitationBody,
  InvitationCreated,
  InvitationList,
  InvitationParams,
  LinkView,
  SessionsEnded,
  UpdateUserBody,
  UserList,
  UserParams,
} from "../schemas/users.ts";
import type { OneTimeLink } from "../store/links.ts";
import type { User } from "../store/users.ts";
import { actor } from "./auth.ts";

/** Password reset links work for a day: shorter than invitations, they open an existing account. */
export const RESET_TTL_MS = 24 * 60 * 60 * 1000;
/** Where the dashboard takes a link's token (after `#`) to set a password. */
export const INVITATION_PATH = "/invitation";
export const RESET_PATH = "/password-reset";

const adminView = (u: User) => ({
  id: u.id,
  email: u.email,
  instanceAdmin: u.instanceAdmin,
  disabled: u.disabled,
  sites: { ...u.roles },
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
});

const invitationView = (link: OneTimeLink) => ({
  id: link.id,
  email: link.email,
  instanceAdmin: link.instanceAdmin,
  sites: Object.entries(link.roles).map(([site, role]) => ({ site, role })),
  createdAt: link.createdAt,
  createdBy: link.createdBy.email,
  expiresAt: link.expiresAt,
});

/** Users, invitations and the audit log: the instance's people and what was done to them. */
export const userRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const load = (id: string): User => {
    const user = ctx.store.users.get(id);
    if (!user) throw errors.userNotFound(`"${id}"`);
    return user;
  };

  app.get(
    "/users",
    {
      config: { access: { action: "users.manage" } },
      schema: {
        summary: "Every user, with their roles",
        tags: ["users"],
        response: { 200: UserList, ...errorResponses },
      },
    },
    async () => ({ users: ctx.store.users.list().map(adminView) }),
  );

  app.get(
    "/users/:id",
    {
      config: { access: { action: "users.manage" } },
      schema: {
        summary: "One user",
        tags: ["users"],
        params: UserParams,
        response: { 200: AdminUserView, ...errorResponses },
      },
    },
    async (request) => adminView(load(request.params.id)),
  );

  app.patch(
    "/users/:id",
    {
      config: { access: { action: "users.manage" } },
      schema: {
        summary: "Make or unmake an instance admin, disable or enable a user",
        description:
          "Takes effect at the user's next request: disabling ends every session at once. The last enabled instance admin cannot be disabled or demoted (409), nor can you disable yourself.",
        tags: ["users"],
        params: UserParams,
        body: UpdateUserBody,
        response: { 200: AdminUserView, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { instanceAdmin, disabled } = request.body;
      const updated = ctx.store.transaction(() => {
        const current = load(id);
        if (disabled && id === request.principal?.id) {
          throw errors.badRequest("body/disabled: you cannot disable your own account");
        }
        const losesAdmin =
          current.instanceAdmin &&
          !current.disabled &&
          (instanceAdmin === false || disabled === true);
        if (losesAdmin && ctx.store.users.activeInstanceAdmins() <= 1) throw errors.lastAdmin();
        const user = ctx.store.users.update(id, (u) => ({
          ...u,
          instanceAdmin: instanceAdmin ?? u.instanceAdmin,
          disabled: disabled ?? u.disabled,
          // Disabling ends every token at once, not only at the session check.
          tokenVersion: disabled && !u.disabled ? u.tokenVersion + 1 : u.tokenVersion,
        }));
        if (!user) throw errors.userNotFound(`"${id}"`);
        if (disabled && !current.disabled) ctx.store.sessions.revokeUser(id);
        const changes: string[] = [];
        if (instanceAdmin !== undefined && instanceAdmin !== current.instanceAdmin) {
          changes.push(instanceAdmin ? "user.made_instance_admin" : "user.unmade_instance_admin");
        }
        if (disabled !== undefined && disabled !== current.disabled) {
          changes.push(disabled ? "user.disabled" : "user.enabled");
        }
        for (const action of changes) {
          ctx.store.audit.record({
            actor: actor(request.principal),
            action,
            target: { type: "user", id, label: user.email },
          });
        }
        return user;
      });
      return adminView(updated);
    },
  );

  app.delete(
    "/users/:id",
    {
      config: { access: { action: "users.manage" } },
      schema: {
        summary: "Delete a user with their roles, sessions, API tokens and pending reset links",
        tags: ["users"],
        params: UserParams,
        response: { 200: Deleted, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      ctx.store.transaction(() => {
        const user = load(id);
        if (id === request.principal?.id) {
          throw errors.badRequest("params/id: you cannot delete your own account");
        }
        if (user.instanceAdmin && !user.disabled && ctx.store.users.activeInstanceAdmins() <= 1) {
          throw errors.lastAdmin();
        }
        ctx.store.users.remove(id);
        const sessions = ctx.store.sessions.revokeUser(id);
        ctx.store.links.revokeFor({ userId: id });
        const tokens = ctx.store.tokens.removeUser(id);
        ctx.store.audit.record({
          actor: actor(request.principal),
          action: "user.deleted",
          target: { type: "user", id, label: user.email },
          details: {
            instanceAdmin: user.instanceAdmin,
            sites: Object.entries(user.roles).map(([site, role]) => `${site}:${role}`),
            sessionsEnded: sessions,
            apiKeysRevoked: tokens,
          },
        });
      });
      return { id, deleted: true as const };
    },
  );

  app.post(
    "/users/:id/password-reset",
    {
      config: { access: { action: "users.manage" } },
      schema: {
        summary: "A one-time link that lets the user set a new password (valid for a day)",
        description:
          "Hand the link to the user: it is shown once (only its hash is kept). Using it ends every session of the user. An earlier reset link of the user stops working.",
        tags: ["users"],
        params: UserParams,
        response: { 201: LinkView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = load(request.params.id);
      const by = actor(request.principal) ?? { id: "", email: "" };
      const { link, token } = ctx.store.transaction(() => {
        const created = ctx.store.links.create(
          {
            kind: "reset",
            email: user.email,
            userId: user.id,
            instanceAdmin: false,
            roles: {},
            createdBy: by,
          },
          RESET_TTL_MS,
        );
        ctx.store.audit.record({
          actor: by,
          action: "password.reset_issued",
          target: { type: "user", id: user.id, label: user.email },
          details: { expiresAt: created.link.expiresAt },
        });
        return created;
      });
      return reply
        .code(201)
        .send({ url: linkUrl(app, request, RESET_PATH, token), expiresAt: link.expiresAt });
    },
  );

  app.delete(
    "/users/:id/sessions",
    {
      config: { access: { action: "users.manage" } },
      schema: {
        summary: "End every session of a user (they must sign in again)",
        tags: ["users"],
        params: UserParams,
        response: { 200: SessionsEnded, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const ended = ctx.store.transaction(() => {
        const user = load(id);
        ctx.store.users.update(id, (u) => ({ ...u, tokenVersion: u.tokenVersion + 1 }));
        const count = ctx.store.sessions.revokeUser(id);
        ctx.store.audit.record({
          actor: actor(request.principal),
          action: "session.revoked_all",
          target: { type: "user", id, label: user.email },
          details: { sessionsEnded: count },
        });
        return count;
      });
      return { id, sessionsEnded: ended };
    },
  );

  app.post(
    "/invitations",
    {
      config: { access: { action: "members.manage", sites: invitationBody } },
      schema: {
        summary: "Invite someone by email, with a role per site",
        description:
          "Answers the one-time link (shown once; only its hash is kept) to hand to the invitee; it works once, for `auth.invitationTtl` (7 days by default). Site owners and admins may invite to their sites (an admin not as owner); only instance admins may invite instance admins. An email that already has an account is a 409: give them a role with POST /sites/{id}/members.",
        tags: ["users"],
        body: InvitationBody,
        response: { 201: InvitationCreated, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (!principal) throw errors.unauthorized();
      const { email, sites } = request.body;
      const instanceAdmin = request.body.instanceAdmin ?? false;
      if (instanceAdmin && !principal.instanceAdmin) {
        throw errors.instanceOnly("invite instance admins");
      }
      if (!sites.length && !instanceAdmin) {
        throw errors.badRequest("body/sites: give the invitee a role on at least one site");
      }
      const roles: Record<string, SiteRole> = {};
      for (const [i, { site, role }] of sites.entries()) {
        if (site in roles) throw errors.badRequest(`body/sites/${i}/site: "${site}" appears twice`);
        if (!ctx.store.getSite(site)) throw errors.siteNotFound(site);
        if (!mayAssign(principal, site, role, null)) {
          throw errors.forbidden(
            `body/sites/${i}/role: only an owner of "${site}" may make owners`,
          );
        }
        roles[site] = role;
      }
      if (ctx.store.users.byEmail(email)) throw errors.userExists(email.trim().toLowerCase());
      const by = { id: principal.id, email: principal.email };
      const { link, token } = ctx.store.transaction(() => {
        const created = ctx.store.links.create(
          {
            kind: "invitation",
            email: email.trim().toLowerCase(),
            instanceAdmin,
            roles,
            createdBy: by,
          },
          durationMs(ctx.settings.auth.invitationTtl),
        );
        ctx.store.audit.record({
          actor: by,
          action: "invitation.created",
          target: { type: "invitation", id: created.link.id, label: created.link.email },
          details: {
            instanceAdmin,
            sites: Object.entries(roles).map(([site, role]) => `${site}:${role}`),
            expiresAt: created.link.expiresAt,
          },
        });
        return created;
      });
      return reply
        .code(201)
        .send({ ...invitationView(link), url: linkUrl(app, request, INVITATION_PATH, token) });
    },
  );

  app.get(
    "/invitations",
    {
      config: { access: { action: "members.manage" } },
      schema: {
        summary: "Pending invitations (an owner or admin sees those to their sites only)",
        tags: ["users"],
        response: { 200: InvitationList, ...errorResponses },
      },
    },
    async (request) => {
      const principal = request.principal;
      const visible = (link: OneTimeLink) =>
        principal?.instanceAdmin ||
        (!link.instanceAdmin &&
          Object.keys(link.roles).every((site) => allows(principal, "members.manage", site)));
      return {
        invitations: ctx.store.links.list("invitation").filter(visible).map(invitationView),
      };
    },
  );

  app.delete(
    "/invitations/:id",
    {
      config: { access: { action: "members.manage", sites: invitationParam } },
      schema: {
        summary: "Withdraw a pending invitation: its link stops working",
        tags: ["users"],
        params: InvitationParams,
        response: { 200: Deleted, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const link = ctx.store.links.get(id);
      if (link?.kind !== "invitation") throw errors.invitationNotFound(id);
      if (link.instanceAdmin && !request.principal?.instanceAdmin) {
        throw errors.instanceOnly("withdraw invitations of instance admins");
      }
      ctx.store.transaction(() => {
        ctx.store.links.revoke(id);
        ctx.store.audit.record({
          actor: actor(request.principal),
          action: "invitation.revoked",
          target: { type: "invitation", id, label: link.email },
        });
      });
      return { id, deleted: true as const };
    },
  );

  app.get(
    "/audit",
    {
      config: { access: { action: "audit.read" } },
      schema: {
        summary: "The audit log: who did what, newest first, a page at a time",
        description:
          "Every change to users, invitations, roles, sites and sessions ended by someone else, and security events (a reused refresh token). Never holds a password or a token.",
        tags: ["users"],
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errorResponses },
      },
    },
    async (request) => ctx.store.audit.page(request.query.limit ?? 50, request.query.before),
  );
};
