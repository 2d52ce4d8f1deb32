import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import {
  mapClaims,
  OidcClient,
  PENDING_TTL_MS,
  PendingSeal,
  unmappedReason,
} from "../auth/oidc.ts";
import { signIn } from "../auth/session.ts";
import type { AppContext } from "../context.ts";
import { errors } from "../errors.ts";
import { AuthMethods, OidcCallbackQuery } from "../schemas/auth.ts";
import { ErrorBody, errorResponses } from "../schemas/common.ts";
import type { User } from "../store/users.ts";

const tags = ["auth"];
/** The attempt in progress (./auth/oidc.ts PendingSeal), sent back only to the callback. */
export const PENDING_COOKIE = "sl_oidc";
const CALLBACK_PATH = "/api/v1/auth/oidc/callback";
/** Where the dashboard picks the session up: it swaps the refresh cookie for an access token. */
export const SIGNED_IN_LOCATION = "/?signin=oidc";
const perAddress = { max: 30, timeWindow: 60_000 };
const oidcErrors = { ...errorResponses, 502: ErrorBody };

/**
 * Sign-in with an OpenID provider (auth.oidc): the authorization code flow with PKCE. The
 * browser goes to /auth/oidc/start, on to the provider, and back to /auth/oidc/callback, which
 * starts a session as password sign-in does (the refresh cookie) and sends the browser to the
 * dashboard, which swaps that cookie for an access token. No token is ever in a URL.
 */
export const oidcRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const settings = ctx.settings.auth.oidc;
  const relyingParty = settings.enabled ? new OidcClient(settings) : null;
  const seal = new PendingSeal(ctx.jwtSecret);
  const now = () => ctx.now?.() ?? Date.now();

  const redirectUri = (request: FastifyRequest) =>
    settings.redirectUrl ||
    `${app.overHttps(request) ? "https" : "http"}://${request.headers.host ?? "localhost"}${CALLBACK_PATH}`;

  /**
   * SameSite=Lax, not Strict: the provider sends the browser back with a top-level GET from its
   * own site, and a Strict cookie would not come along.
   */
  const cookieOptions = (request: FastifyRequest) => ({
    path: CALLBACK_PATH,
    httpOnly: true,
    sameSite: "lax" as const,
    secure: app.overHttps(request),
  });

  const refuse = (email: string, reason: string) => {
    ctx.store.audit.record({
      actor: null,
      action: "signin.oidc_refused",
      target: { type: "user", id: "", label: email },
      details: { reason },
    });
  };

  app.get(
    "/auth/methods",
    {
      config: { access: { action: "public" } },
      schema: {
        summary: "How one may sign in: password, and an OpenID provider when enabled",
        tags,
        security: [],
        response: { 200: AuthMethods },
      },
    },
    async () => ({
      password: true as const,
      oidc: settings.enabled
        ? { label: settings.label, startUrl: "/api/v1/auth/oidc/start" }
        : null,
    }),
  );

  app.get(
    "/auth/oidc/start",
    {
      config: { access: { action: "public" }, rateLimit: perAddress },
      schema: {
        summary: "Start signing in with the OpenID provider: a redirect to it",
        description:
          "Sends the browser to the provider with state, nonce and a PKCE challenge (S256); the attempt is kept in a signed, HttpOnly cookie for 10 minutes. 404 OIDC_DISABLED when auth.oidc is off.",
        tags,
        security: [],
        response: { 302: { type: "null" }, ...oidcErrors },
      },
    },
    async (request, reply) => {
      if (!relyingParty) throw errors.oidcDisabled();
      const { url, pending } = await relyingParty.start(redirectUri(request), now());
      reply.setCookie(PENDING_COOKIE, seal.seal(pending), {
        ...cookieOptions(request),
        maxAge: PENDING_TTL_MS / 1000,
      });
      return reply.redirect(url.href, 302);
    },
  );

  app.get(
    "/auth/oidc/callback",
    {
      config: { access: { action: "public" }, rateLimit: perAddress },
      schema: {
        summary:
          "Where the OpenID provider sends the browser back: signs in, then to the dashboard",
        description:
          "Checks the state against this browser's attempt (400 OIDC_STATE), swaps the code with the PKCE verifier (401 OIDC_CODE_INVALID when it expired or was used), validates the ID token (401 OIDC_INVALID_RESPONSE), maps the role claim (403 OIDC_UNMAPPED), finds or creates the user by email (403 OIDC_NO_ACCOUNT, 403 ACCOUNT_DISABLED), then sets the refresh cookie and redirects to the dashboard, which gets its access token from POST /auth/refresh.",
        tags,
        security: [],
        querystring: OidcCallbackQuery,
        response: { 303: { type: "null" }, ...oidcErrors },
      },
    },
    async (request, reply) => {
      if (!relyingParty) throw errors.oidcDisabled();
      const pending = seal.open(request.cookies[PENDING_COOKIE], now());
      // The attempt is spent whatever happens next: a second callback has nothing to match.
      reply.clearCookie(PENDING_COOKIE, cookieOptions(request));
      if (!pending) throw errors.oidcNoAttempt();
      const query = new URLSearchParams(request.query as Record<string, string>);
      const identity = await relyingParty.finish(query, pending);
      const mapped = mapClaims(
        settings,
        identity.claims,
        ctx.store.listSites().map((s) => s.id),
      );
      if (!mapped) {
        const reason = unmappedReason(settings, identity.claims);
        refuse(identity.email, "unmapped");
        throw errors.oidcUnmapped(reason);
      }
      const user = ctx.store.transaction((): Outcome => {
        const existing = ctx.store.users.byEmail(identity.email);
        if (existing?.disabled) return { refused: "disabled" as const };
        if (!existing && !settings.createUsers) return { refused: "no_account" as const };
        const created = !existing;
        const found: User | null =
          existing ??
          ctx.store.users.create({
            email: identity.email,
            // No password: this account signs in through the provider only (until a reset link).
            passwordHash: "",
            instanceAdmin: mapped.instanceAdmin,
            roles: mapped.roles,
          });
        if (!found) return { refused: "no_account" as const };
        // The provider's groups are the source of the roles: applied at every sign-in, except
        // that the last instance admin stays one (as the users API refuses to demote them).
        const keptAdmin =
          found.instanceAdmin &&
          !mapped.instanceAdmin &&
          ctx.store.users.activeInstanceAdmins() <= 1;
        const updated =
          ctx.store.users.update(found.id, (u) => ({
            ...u,
            instanceAdmin: mapped.instanceAdmin || keptAdmin,
            roles: mapped.roles,
          })) ?? found;
        ctx.store.audit.record({
          actor: { id: updated.id, email: updated.email },
          action: created ? "signin.oidc_created" : "signin.oidc",
          target: { type: "user", id: updated.id, label: updated.email },
          details: {
            issuer: settings.issuer,
            subject: identity.subject,
            matched: mapped.matched,
            instanceAdmin: mapped.instanceAdmin,
            ...(keptAdmin ? { keptInstanceAdmin: "the last instance admin stays one" } : {}),
            sites: Object.entries(mapped.roles).map(([site, role]) => `${site}:${role}`),
          },
        });
        return { user: updated };
      });
      if (user.refused) {
        refuse(identity.email, user.refused);
        throw user.refused === "disabled"
          ? errors.accountDisabled()
          : errors.oidcNoAccount(identity.email);
      }
      signIn(app, ctx, request, reply, user.user);
      return redirectToDashboard(reply);
    },
  );
};

type Outcome =
  | { refused: "disabled" | "no_account"; user?: undefined }
  | { refused?: undefined; user: User };

// 303: the browser follows with a GET whatever the method was.
const redirectToDashboard = (reply: FastifyReply) => reply.redirect(SIGNED_IN_LOCATION, 303);
