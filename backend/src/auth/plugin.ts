import fastifyCookie from "@fastify/cookie";
import fastifyJwt from "@fastify/jwt";
import { createClientIpResolver, createProxyTrust } from "@sightline/collector-node";
import { durationMs } from "@sightline/config";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { AppContext } from "../context.ts";
import { errors } from "../errors.ts";
import { type ApiToken, TOKEN_PREFIX } from "../store/tokens.ts";
import type { User } from "../store/users.ts";
import type { SiteLocator } from "./locators.ts";
import {
  type Action,
  allows,
  definition,
  type Principal,
  type SiteRole,
  tokenActions,
} from "./permissions.ts";

/** What a route needs: the action, and where the request names the sites it is checked on. */
export interface Access {
  action: Action;
  sites?: SiteLocator;
}

/** The claims of an access token. */
export interface AccessClaims {
  /** The user's id. */
  sub: string;
  /** The session's id. */
  sid: string;
  /** The user's token version when it was issued. */
  tv: number;
  /** "share": a share link's viewer (`sid` is the link's id, `sub` "share"); absent: a user. */
  typ?: "share";
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

declare module "@fastify/jwt" {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AccessClaims;
  }
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Required on every /api/v1 route: registration fails without it. */
    access?: Access;
  }
  interface FastifyRequest {
    /** Who the request acts for; null on public routes. */
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every /api/v1 route with the access it declares, in registration order. */
    accessRoutes: RouteAccess[];
    /** The client's address (forwarding headers only from `server.trustedProxies`). */
    clientAddress(request: FastifyRequest): string;
    /** Whether the client reached us over https (directly, or per a trusted proxy). */
    overHttps(request: FastifyRequest): boolean;
  }
}

/** The refresh token's cookie: sent only to the auth routes, never readable by scripts. */
export const REFRESH_COOKIE = "sl_refresh";
export const REFRESH_PATH = "/api/v1/auth";
/** The API document and its page are public; their routes come from @fastify/swagger-ui. */
const PUBLIC_PREFIXES = ["/api/v1/docs"];
/** Opening a share link answers a token: never cached either. */
const SHARED_OPEN_PATH = "/api/v1/shared/open";

/** The principal of a user: roles are read from the record on every request, never the token. */
export function principalOf(user: User, sessionId?: string): Principal {
  return {
    kind: "user",
    id: user.id,
    email: user.email,
    instanceAdmin: user.instanceAdmin,
    roles: user.roles,
    ...(sessionId !== undefined ? { sessionId } : {}),
  };
}

/**
 * The principal of an API token: its user, on the token's sites only, with the user's current
 * role on each (an instance admin's tokens act as owner of each of their sites that exists), and
 * only the actions its scopes open. So a token never exceeds its user's rights today.
 */
export function tokenPrincipal(
  user: User,
  token: ApiToken,
  siteExists: (id: string) => boolean,
): Principal {
  const roles: Record<string, SiteRole> = {};
  for (const site of token.sites) {
    const role = user.instanceAdmin ? (siteExists(site) ? "owner" : undefined) : user.roles[site];
    if (role) roles[site] = role;
  }
  return {
    kind: "token",
    id: user.id,
    email: user.email,
    instanceAdmin: false,
    roles,
    scopes: tokenActions(token.scopes),
    tokenId: token.id,
  };
}

/** A share link's viewer: may only view what that link shares (src/routes/shared.ts). */
export function sharePrincipal(shareId: string): Principal {
  return {
    kind: "share",
    id: shareId,
    email: "",
    instanceAdmin: false,
    roles: {},
    scopes: ["shared.view"],
  };
}

/**
 * Authentication and the one permission guard. Every /api/v1 route declares
 * `config: { access: { action, sites? } }`; a route without it cannot be registered.
 *
 * - onRequest: public actions pass; otherwise the Bearer access token is verified (signature,
 *   `exp`), and its user and session are read from LMDB on every request: a deleted or disabled
 *   user, a bumped token version or an ended session is a 401 at once. An API token
 *   (`slt_…`) is looked up by its hash instead, and its user read the same way. Then, before the body is
 *   read, instance actions need an instance admin and site actions a role that allows them on
 *   at least one site (403).
 * - preHandler (after validation): the sites the request names (`access.sites`) are checked one
 *   by one (403 naming the site and the roles that may).
 */
export const authPlugin = fp(
  async (app: FastifyInstance, options: { ctx: AppContext }) => {
    const { ctx } = options;
    const { settings } = ctx;
    await app.register(fastifyJwt, {
      secret: ctx.jwtSecret,
      sign: {
        algorithm: "HS256",
        expiresIn: Math.floor(durationMs(settings.auth.tokenTtl) / 1000),
      },
      verify: { algorithms: ["HS256"], requiredClaims: ["exp", "sub", "sid", "tv"] },
    });
    await app.register(fastifyCookie);

    const resolveIp = createClientIpResolver(settings.server.trustedProxies);
    const trusted = createProxyTrust(settings.server.trustedProxies);
    app.decorate("clientAddress", (request: FastifyRequest) =>
      resolveIp(request.raw.socket?.remoteAddress ?? request.ip, (name) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value.join(",") : value;
      }),
    );
    app.decorate("overHttps", (request: FastifyRequest) => {
      if ((request.raw.socket as { encrypted?: boolean } | undefined)?.encrypted) return true;
      const peer = request.raw.socket?.remoteAddress ?? "";
      const proto = request.headers["x-forwarded-proto"];
      return trusted(peer) && typeof proto === "string" && proto.split(",")[0]?.trim() === "https";
    });

    const routes: RouteAccess[] = [];
    app.decorate("accessRoutes", routes);
    app.decorateRequest("principal", null);

    app.addHook("onRoute", (route) => {
      if (!route.url.startsWith("/api/v1")) return;
      if (!route.config?.access) {
        if (!PUBLIC_PREFIXES.some((p) => route.url.startsWith(p))) {
          throw new Error(
            `${String(route.method)} ${route.url} declares no access: give it config.access (src/auth/permissions.ts)`,
          );
        }
        route.config = { ...route.config, access: { action: "public" } };
      }
      const access = route.config.access as Access;
      for (const method of [route.method].flat()) {
        if (method !== "HEAD") routes.push({ method, url: route.url, access });
      }
    });

    function authenticateToken(bearer: string): Principal {
      const result = ctx.store.tokens.verify(bearer);
      if (result.status === "invalid") throw errors.apiTokenInvalid();
      if (result.status === "expired") throw errors.apiTokenExpired(result.token.expiresAt);
      const user = ctx.store.users.get(result.token.userId);
      if (!user || user.disabled) throw errors.apiTokenInvalid();
      return tokenPrincipal(user, result.token, (id) => ctx.store.getSite(id) !== undefined);
    }

    async function authenticate(request: FastifyRequest): Promise<Principal> {
      const header = request.headers.authorization;
      if (!header?.startsWith("Bearer ")) throw errors.unauthorized();
      const bearer = header.slice("Bearer ".length).trim();
      if (bearer.startsWith(TOKEN_PREFIX)) return authenticateToken(bearer);
      let claims: AccessClaims;
      try {
        claims = await request.jwtVerify<AccessClaims>();
      } catch (error) {
        const code = (error as { code?: string }).code;
        throw code === "FST_JWT_AUTHORIZATION_TOKEN_EXPIRED"
          ? errors.tokenExpired()
          : errors.unauthorized();
      }
      if (claims.typ === "share") {
        // The link is read on every request: revoked or expired, its viewers stop at once.
        const share = ctx.store.shares.get(claims.sid);
        if (!share) throw errors.shareEnded();
        if (ctx.store.shares.expired(share)) throw errors.shareExpired(share.expiresAt ?? "");
        return sharePrincipal(share.id);
      }
      const user = ctx.store.users.get(claims.sub);
      const session = ctx.store.sessions.get(claims.sid);
      if (
        !user ||
        user.disabled ||
        user.tokenVersion !== claims.tv ||
        !session ||
        session.userId !== user.id
      ) {
        throw errors.sessionEnded();
      }
      return principalOf(user, session.id);
    }

    app.addHook("onRequest", async (request: FastifyRequest) => {
      const access = request.routeOptions.config.access;
      if (!access || access.action === "public") return;
      const principal = await authenticate(request);
      request.principal = principal;
      if (allows(principal, access.action)) return;
      const def = definition(access.action);
      if (def.scope === "site") throw errors.noSiteRole(def.verb, def.roles ?? []);
      throw errors.instanceOnly(def.verb);
    });

    app.addHook("preHandler", async (request: FastifyRequest) => {
      const access = request.routeOptions.config.access;
      const principal = request.principal;
      if (!access?.sites || !principal) return;
      const def = definition(access.action);
      for (const site of new Set(access.sites.find(request, ctx))) {
        if (!allows(principal, access.action, site)) {
          throw errors.siteForbidden(site, def.verb, def.roles ?? []);
        }
      }
    });

    // Answers about who someone is, or that carry tokens, are never stored by any cache.
    app.addHook("onSend", async (request: FastifyRequest, reply: FastifyReply) => {
      const access = request.routeOptions.config.access;
      if (!access) return;
      if (
        access.action !== "public" ||
        request.url.startsWith(REFRESH_PATH) ||
        request.url.startsWith(SHARED_OPEN_PATH)
      ) {
        reply.header("cache-control", "no-store");
      }
    });
  },
  { name: "sightline-auth" },
);
