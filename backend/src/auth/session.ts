import { durationMs } from "@sightline/config";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../context.ts";
import type { SessionView, UserView } from "../schemas/auth.ts";
import { summarizeUserAgent } from "../store/sessions.ts";
import type { User } from "../store/users.ts";
import { REFRESH_COOKIE, REFRESH_PATH } from "./plugin.ts";

export const userView = (user: User): UserView => ({
  id: user.id,
  email: user.email,
  role: user.instanceAdmin ? "admin" : "member",
  instanceAdmin: user.instanceAdmin,
  sites: { ...user.roles },
});

/** An access token for a session of `user`, valid for `auth.tokenTtl`. */
export function accessToken(app: FastifyInstance, user: User, sessionId: string): string {
  return app.jwt.sign({ sub: user.id, sid: sessionId, tv: user.tokenVersion });
}

export const accessTtlSeconds = (ctx: AppContext) =>
  Math.floor(durationMs(ctx.settings.auth.tokenTtl) / 1000);

/**
 * The refresh token as a cookie that only the auth routes receive: HttpOnly (no script reads
 * it), SameSite=Strict (no other site's page sends it), Secure whenever the client came over
 * https.
 */
export function setRefreshCookie(
  app: FastifyInstance,
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
): void {
  reply.setCookie(REFRESH_COOKIE, token, {
    path: REFRESH_PATH,
    httpOnly: true,
    sameSite: "strict",
    secure: app.overHttps(request),
    maxAge: Math.floor(durationMs(ctx.settings.auth.sessionTtl) / 1000),
  });
}

export function clearRefreshCookie(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  reply.clearCookie(REFRESH_COOKIE, {
    path: REFRESH_PATH,
    httpOnly: true,
    sameSite: "strict",
    secure: app.overHttps(request),
  });
}

/** Starts a session for `user`: the answer of every route that signs someone in. */
export function signIn(
  app: FastifyInstance,
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  user: User,
): SessionView {
  const { session, refreshToken } = ctx.store.sessions.create(
    user.id,
    summarizeUserAgent(request.headers["user-agent"]),
    durationMs(ctx.settings.auth.sessionTtl),
  );
  setRefreshCookie(app, ctx, request, reply, refreshToken);
  return {
    token: accessToken(app, user, session.id),
    expiresIn: accessTtlSeconds(ctx),
    refreshToken,
    user: userView(user),
  };
}

/** `<origin>/<path>#token=…`: the token after `#` never reaches a server, so no log holds it. */
export function linkUrl(
  app: FastifyInstance,
  request: FastifyRequest,
  path: string,
  token: string,
): string {
  const host = request.headers.host ?? "localhost";
  return `${app.overHttps(request) ? "https" : "http"}://${host}${path}#token=${token}`;
}
