import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { durationMs } from "@sightline/config";
import type { FastifyRequest } from "fastify";
import type { Principal } from "../auth/permissions.ts";
import { REFRESH_COOKIE } from "../auth/plugin.ts";
import { passwordProblem } from "../auth/policy.ts";
import {
  accessToken,
  accessTtlSeconds,
  clearRefreshCookie,
  setRefreshCookie,
  signIn,
  userView,
} from "../auth/session.ts";
import { LoginThrottle } from "../auth/throttle.ts";
import type { AppContext } from "../context.ts";
import { errors } from "../errors.ts";
import {
  AcceptBody,
  AccessTokenView,
  AuthStatus,
  InvitationLookup,
  LoginBody,
  LookupBody,
  PasswordChangeBody,
  RefreshBody,
  Revoked,
  SessionList,
  SessionParams,
  SessionView,
  SetupBody,
  SignedOut,
  UserView,
} from "../schemas/auth.ts";
import { ErrorBody, errorResponses } from "../schemas/common.ts";
import type { User } from "../store/users.ts";

const tags = ["auth"];
/** Answers of routes that check a password: throttled (429) or too busy hashing (503). */
const passwordErrors = { ...errorResponses, 410: ErrorBody, 429: ErrorBody, 503: ErrorBody };
/**
 * A ceiling per client address on the public auth routes, on top of the sign-in throttle
 * (src/auth/throttle.ts): each of them writes to LMDB or hashes a password.
 */
const perAddress = { max: 30, timeWindow: 60_000 };

/** `at: why` when the password may not be used (src/auth/policy.ts). */
export function checkNewPassword(password: string, email: string, at: string): void {
  const problem = passwordProblem(password, [email]);
  if (problem) throw errors.weakPassword(at, problem);
}

export const actor = (principal: Principal | null) =>
  principal ? { id: principal.id, email: principal.email } : null;

export const authRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const throttle = new LoginThrottle();
  const passwords = () => ctx.passwords;
  const me = (request: FastifyRequest): User => {
    const user = ctx.store.users.get(request.principal?.id ?? "");
    if (!user) throw errors.sessionEnded();
    return user;
  };

  app.get(
    "/auth/status",
    {
      config: { access: { action: "public" } },
      schema: {
        summary: "Whether the first admin still has to be created",
        tags,
        security: [],
        response: { 200: AuthStatus },
      },
    },
    async () => ({ setupRequired: ctx.store.users.count() === 0 }),
  );

  app.post(
    "/auth/setup",
    {
      config: { access: { action: "public" }, rateLimit: perAddress },
      schema: {
        summary: "Create the first admin (an instance admin) with the one-time setup token",
        tags,
        security: [],
        body: SetupBody,
        response: { 200: SessionView, ...passwordErrors },
      },
    },
    async (request, reply) => {
      const { token, email, password } = request.body;
      if (ctx.store.users.count() > 0) throw errors.setupDone();
      checkNewPassword(password, email, "body/password");
      if (!ctx.setupToken.consume(token)) throw errors.badSetupToken();
      const passwordHash = await passwords().hash(password);
      const user = ctx.store.transaction(() => {
        const created = ctx.store.users.create(
          { email, passwordHash, instanceAdmin: true },
          { onlyIfNoUsers: true },
        );
        if (created) {
          ctx.store.audit.record({
            actor: { id: created.id, email: created.email },
            action: "setup.completed",
            target: { type: "user", id: created.id, label: created.email },
          });
        }
        return created;
      });
      if (!user) throw errors.setupDone();
      request.log.info("first admin created");
      return signIn(app, ctx, request, reply, user);
    },
  );

  app.post(
    "/auth/login",
    {
      config: { access: { action: "public" }, rateLimit: perAddress },
      schema: {
        summary: "Sign in: an access token (JWT) and a refresh token",
        description:
          "Throttled per account and address: after a few failures each attempt waits longer (429 with Retry-After), the same whether or not the account exists. The refresh token also comes as an HttpOnly cookie for POST /auth/refresh.",
        tags,
        security: [],
        body: LoginBody,
        response: { 200: SessionView, ...passwordErrors },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const address = app.clientAddress(request);
      const wait = throttle.wait(email, address);
      if (wait > 0) throw errors.tooManyAttempts(wait);
      const user = ctx.store.users.byEmail(email);
      // Unknown emails are checked against a decoy hash, so the time does not tell them apart.
      // Accounts made by OIDC sign-in have no password (""): they take the decoy's time too.
      const ok = await passwords().verifyOrDecoy(password, user?.passwordHash || undefined);
      if (!user || !ok || user.disabled) {
        throttle.failed(email, address);
        throw errors.invalidCredentials();
      }
      throttle.succeeded(email, address);
      return signIn(app, ctx, request, reply, user);
    },
  );

  app.post(
    "/auth/refresh",
    {
      config: { access: { action: "public" }, rateLimit: { max: 60, timeWindow: 60_000 } },
      // Browsers post nothing (the cookie carries the token): that is an empty body.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        summary: "Swap a refresh token for a new access token and a new refresh token",
        description:
          "The refresh token comes from the body or the `sl_refresh` cookie. Each works once: presenting one that was already swapped ends its whole session (it may have been stolen).",
        tags,
        security: [],
        body: RefreshBody,
        response: { 200: SessionView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const token = request.body?.refreshToken ?? request.cookies[REFRESH_COOKIE];
      if (!token) throw errors.refreshInvalid();
      const result = ctx.store.sessions.rotate(token, durationMs(ctx.settings.auth.sessionTtl));
      if (result.status === "reused") {
        const owner = ctx.store.users.get(result.session.userId);
        ctx.store.audit.record({
          actor: null,
          action: "session.reuse_detected",
          target: { type: "session", id: result.session.id, label: owner?.email ?? "" },
          details: { userAgent: result.session.userAgent },
        });
        request.log.warn("a rotated refresh token was presented again: its session was ended");
        clearRefreshCookie(app, request, reply);
        throw errors.refreshReused();
      }
      if (result.status === "invalid") {
        clearRefreshCookie(app, request, reply);
        throw errors.refreshInvalid();
      }
      const user = ctx.store.users.get(result.session.userId);
      if (!user || user.disabled) {
        ctx.store.sessions.revoke(result.session.id);
        clearRefreshCookie(app, request, reply);
        throw errors.sessionEnded();
      }
      setRefreshCookie(app, ctx, request, reply, result.refreshToken);
      return {
        token: accessToken(app, user, result.session.id),
        expiresIn: accessTtlSeconds(ctx),
        refreshToken: result.refreshToken,
        user: userView(user),
      };
    },
  );

  app.post(
    "/auth/logout",
    {
      config: { access: { action: "account.use" } },
      schema: {
        summary: "Sign out: ends this session (its access and refresh tokens) at once",
        tags,
        response: { 200: SignedOut, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = request.principal?.sessionId;
      if (session) ctx.store.sessions.revoke(session);
      clearRefreshCookie(app, request, reply);
      return { signedOut: true as const };
    },
  );

  app.get(
    "/me",
    {
      config: { access: { action: "account.use" } },
      schema: {
        summary: "The signed-in user, with their roles",
        tags,
        response: { 200: UserView, ...errorResponses },
      },
    },
    async (request) => userView(me(request)),
  );

  app.post(
    "/auth/password",
    {
      config: { access: { action: "account.use" } },
      schema: {
        summary: "Change your own password",
        description:
          "Needs the current password. Every other session of yours ends; this one goes on with the access token in the answer.",
        tags,
        body: PasswordChangeBody,
        response: { 200: AccessTokenView, ...passwordErrors },
      },
    },
    async (request) => {
      const user = me(request);
      const address = app.clientAddress(request);
      const wait = throttle.wait(`user:${user.id}`, address);
      if (wait > 0) throw errors.tooManyAttempts(wait);
      if (!(await passwords().verify(request.body.currentPassword, user.passwordHash))) {
        throttle.failed(`user:${user.id}`, address);
        throw errors.wrongPassword();
      }
      checkNewPassword(request.body.newPassword, user.email, "body/newPassword");
      const passwordHash = await passwords().hash(request.body.newPassword);
      const session = request.principal?.sessionId ?? "";
      const updated = ctx.store.transaction(() => {
        const changed = ctx.store.users.update(user.id, (u) => ({
          ...u,
          passwordHash,
          tokenVersion: u.tokenVersion + 1,
        }));
        const ended = ctx.store.sessions.revokeUser(user.id, session);
        ctx.store.audit.record({
          actor: actor(request.principal),
          action: "password.changed",
          target: { type: "user", id: user.id, label: user.email },
          details: { otherSessionsEnded: ended },
        });
        return changed;
      });
      if (!updated) throw errors.sessionEnded();
      return { token: accessToken(app, updated, session), expiresIn: accessTtlSeconds(ctx) };
    },
  );

  app.get(
    "/auth/sessions",
    {
      config: { access: { action: "account.use" } },
      schema: {
        summary: "Your sessions (sign-ins on devices), most recently used first",
        tags,
        response: { 200: SessionList, ...errorResponses },
      },
    },
    async (request) => ({
      sessions: ctx.store.sessions.forUser(me(request).id).map((s) => ({
        id: s.id,
        createdAt: s.createdAt,
        lastUsedAt: s.lastUsedAt,
        expiresAt: s.expiresAt,
        userAgent: s.userAgent,
        current: s.id === request.principal?.sessionId,
      })),
    }),
  );

  app.delete(
    "/auth/sessions/:id",
    {
      config: { access: { action: "account.use" } },
      schema: {
        summary: "End one of your sessions",
        tags,
        params: SessionParams,
        response: { 200: Revoked, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const session = ctx.store.sessions.get(id);
      if (!session || session.userId !== me(request).id) throw errors.sessionNotFound(id);
      ctx.store.sessions.revoke(id);
      return { id, revoked: true as const };
    },
  );

  app.post(
    "/auth/invitations/lookup",
    {
      config: { access: { action: "public" }, rateLimit: perAddress },
      schema: {
        summary: "What an invitation link offers (email, roles, expiry), without using it",
        tags,
        security: [],
        body: LookupBody,
        response: { 200: InvitationLookup, ...passwordErrors },
      },
    },
    async (request) => {
      const link = ctx.store.links.find(request.body.token);
      if (link?.kind !== "invitation") throw errors.linkInvalid("invitation");
      if (ctx.store.links.expired(link)) throw errors.linkExpired("invitation", link.expiresAt);
      return {
        email: link.email,
        instanceAdmin: link.instanceAdmin,
        sites: Object.entries(link.roles).map(([site, role]) => ({ site, role })),
        expiresAt: link.expiresAt,
      };
    },
  );

  app.post(
    "/auth/invitations/accept",
    {
      config: { access: { action: "public" }, rateLimit: perAddress },
      schema: {
        summary: "Accept an invitation: choose a password, get the account and a session",
        description:
          "The link works once, until it expires. Unknown, used and withdrawn links all answer 404 LINK_INVALID; an expired one 410 LINK_EXPIRED.",
        tags,
        security: [],
        body: AcceptBody,
        response: { 200: SessionView, ...passwordErrors },
      },
    },
    async (request, reply) => {
      const { token, password } = request.body;
      // The link is checked before the password, so only its holder gets to the (costly) rest.
      const link = ctx.store.links.find(token);
      if (link?.kind !== "invitation") throw errors.linkInvalid("invitation");
      if (ctx.store.links.expired(link)) throw errors.linkExpired("invitation", link.expiresAt);
      checkNewPassword(password, link.email, "body/password");
      const passwordHash = await passwords().hash(password);
      const result = ctx.store.links.redeem(token, "invitation", (found) => {
        const sites = new Set(ctx.store.listSites().map((s) => s.id));
        const roles = Object.fromEntries(
          Object.entries(found.roles).filter(([site]) => sites.has(site)),
        );
        const user = ctx.store.users.create({
          email: found.email,
          passwordHash,
          instanceAdmin: found.instanceAdmin,
          roles,
        });
        if (!user) throw errors.userExists(found.email);
        ctx.store.audit.record({
          actor: { id: user.id, email: user.email },
          action: "invitation.accepted",
          target: { type: "user", id: user.id, label: user.email },
          details: {
            invitation: found.id,
            invitedBy: found.createdBy.email,
            instanceAdmin: found.instanceAdmin,
            sites: Object.entries(roles).map(([site, role]) => `${site}:${role}`),
          },
        });
        return user;
      });
      if (result.status === "invalid") throw errors.linkInvalid("invitation");
      if (result.status === "expired") {
        throw errors.linkExpired("invitation", result.link.expiresAt);
      }
      return signIn(app, ctx, request, reply, result.value);
    },
  );

  app.post(
    "/auth/password-reset",
    {
      config: { access: { action: "public" }, rateLimit: perAddress },
      schema: {
        summary: "Set a new password with a reset link an admin issued; signs in",
        description:
          "Every earlier session of the user ends. The link works once, for a day. Unknown, used and withdrawn links answer 404 LINK_INVALID; an expired one 410 LINK_EXPIRED; a disabled account 403.",
        tags,
        security: [],
        body: AcceptBody,
        response: { 200: SessionView, ...passwordErrors },
      },
    },
    async (request, reply) => {
      const { token, password } = request.body;
      const link = ctx.store.links.find(token);
      const target = link?.kind === "reset" ? ctx.store.users.get(link.userId ?? "") : undefined;
      if (!link || !target) throw errors.linkInvalid("reset");
      if (ctx.store.links.expired(link)) throw errors.linkExpired("reset", link.expiresAt);
      if (target.disabled) throw errors.accountDisabled();
      checkNewPassword(password, target.email, "body/password");
      const passwordHash = await passwords().hash(password);
      const result = ctx.store.links.redeem(token, "reset", (found) => {
        const user = ctx.store.users.update(found.userId ?? "", (u) => ({
          ...u,
          passwordHash,
          tokenVersion: u.tokenVersion + 1,
        }));
        if (!user) throw errors.linkInvalid("reset");
        const ended = ctx.store.sessions.revokeUser(user.id);
        ctx.store.audit.record({
          actor: { id: user.id, email: user.email },
          action: "password.reset",
          target: { type: "user", id: user.id, label: user.email },
          details: { issuedBy: found.createdBy.email, sessionsEnded: ended },
        });
        return user;
      });
      if (result.status === "invalid") throw errors.linkInvalid("reset");
      if (result.status === "expired") throw errors.linkExpired("reset", result.link.expiresAt);
      return signIn(app, ctx, request, reply, result.value);
    },
  );
};
