import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { allows, definition, TOKEN_SCOPES } from "../auth/permissions.ts";
import type { AppContext } from "../context.ts";
import { errors } from "../errors.ts";
import { Revoked } from "../schemas/auth.ts";
import { errorResponses } from "../schemas/common.ts";
import {
  CreateTokenBody,
  DEFAULT_TOKEN_DAYS,
  TokenCreated,
  TokenList,
  TokenParams,
} from "../schemas/tokens.ts";
import type { ApiToken } from "../store/tokens.ts";
import { actor } from "./auth.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const tags = ["tokens"];

/** Your own API tokens: made, listed and revoked by a signed-in user (never by a token). */
export const tokenRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const view = (t: ApiToken) => ({
    id: t.id,
    name: t.name,
    sites: t.sites,
    scopes: t.scopes,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    lastUsedAt: t.lastUsedAt,
    expired: ctx.store.tokens.expired(t),
  });
  const me = (principal: { id: string } | null) => {
    const user = ctx.store.users.get(principal?.id ?? "");
    if (!user) throw errors.sessionEnded();
    return user;
  };

  app.get(
    "/tokens",
    {
      config: { access: { action: "tokens.manage" } },
      schema: {
        summary: "Your API tokens, newest first (never their secrets)",
        tags,
        response: { 200: TokenList, ...errorResponses },
      },
    },
    async (request) => ({
      tokens: ctx.store.tokens.forUser(me(request.principal).id).map(view),
    }),
  );

  app.post(
    "/tokens",
    {
      config: { access: { action: "tokens.manage" } },
      schema: {
        summary: "Create an API token; its secret is in this answer only",
        description:
          "The token acts for you on its sites, with only the actions of its scopes, and never beyond your own role on each site at the time of each request: lose the role, and the token loses it too; disabled or deleted, all your tokens stop working.",
        tags,
        body: CreateTokenBody,
        response: { 201: TokenCreated, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = me(request.principal);
      const { name, sites, scopes, expiresInDays = DEFAULT_TOKEN_DAYS } = request.body;
      for (const site of sites) {
        if (!ctx.store.getSite(site)) throw errors.siteNotFound(site);
        for (const scope of scopes) {
          for (const action of TOKEN_SCOPES[scope].actions) {
            if (allows(request.principal, action, site)) continue;
            const def = definition(action);
            throw errors.forbidden(
              `body/scopes: "${scope}" on site "${site}" needs a role there that may ${def.verb} (${(def.roles ?? []).map((r) => `"${r}"`).join(" or ")}); a token never has more rights than you`,
            );
          }
        }
      }
      const created = ctx.store.transaction(() => {
        const result = ctx.store.tokens.create(
          { userId: user.id, name, sites, scopes },
          expiresInDays * DAY_MS,
        );
        ctx.store.audit.record({
          actor: actor(request.principal),
          action: "api_token.created",
          target: { type: "api_token", id: result.token.id, label: name },
          details: { sites, scopes, expiresAt: result.token.expiresAt },
        });
        return result;
      });
      return reply.code(201).send({ token: view(created.token), secret: created.secret });
    },
  );

  app.delete(
    "/tokens/:id",
    {
      config: { access: { action: "tokens.manage" } },
      schema: {
        summary: "Revoke one of your API tokens: it stops working at once",
        tags,
        params: TokenParams,
        response: { 200: Revoked, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const user = me(request.principal);
      ctx.store.transaction(() => {
        const token = ctx.store.tokens.get(id);
        if (!token || token.userId !== user.id) throw errors.apiTokenNotFound(id);
        ctx.store.tokens.revoke(id);
        ctx.store.audit.record({
          actor: actor(request.principal),
          action: "api_token.revoked",
          target: { type: "api_token", id, label: token.name },
          details: { sites: token.sites, scopes: token.scopes },
        });
      });
      return { id, revoked: true as const };
    },
  );
};
