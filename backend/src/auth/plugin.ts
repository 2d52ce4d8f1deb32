import fastifyJwt from "@fastify/jwt";
import { durationMs } from "@sightline/config";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { errors } from "../errors.ts";
import type { Role } from "../store/store.ts";

export interface TokenClaims {
  sub: string;
  email: string;
  role: Role;
}

declare module "@fastify/jwt" {
  interface FastifyJWT {
    payload: TokenClaims;
    user: TokenClaims;
  }
}

declare module "fastify" {
  interface FastifyInstance {
    /** preHandler: requires a valid Bearer token. */
    authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    /** preHandler: requires a valid Bearer token of an admin. */
    requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

/** JWT signing and the two guards every protected route uses. */
export const authPlugin = fp(
  async (app: FastifyInstance, options: { secret: string; tokenTtl: string }) => {
    await app.register(fastifyJwt, {
      secret: options.secret,
      sign: { expiresIn: Math.floor(durationMs(options.tokenTtl) / 1000) },
    });
    app.decorate("authenticate", async (request: FastifyRequest) => {
      try {
        await request.jwtVerify();
      } catch {
        throw errors.unauthorized();
      }
    });
    app.decorate("requireAdmin", async (request: FastifyRequest) => {
      try {
        await request.jwtVerify();
      } catch {
        throw errors.unauthorized();
      }
      if (request.user.role !== "admin") throw errors.forbidden();
    });
  },
  { name: "sightline-auth" },
);
