import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { decoyHash, hashPassword, verifyPassword } from "../auth/password.ts";
import type { AppContext } from "../context.ts";
import { errors } from "../errors.ts";
import { AuthStatus, LoginBody, SessionView, SetupBody, UserView } from "../schemas/auth.ts";
import { errorResponses } from "../schemas/common.ts";
import type { User } from "../store/store.ts";

export const authRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const session = (user: User) => ({
    token: app.jwt.sign({ sub: user.id, email: user.email, role: user.role }),
    user: { email: user.email, role: user.role },
  });

  app.get(
    "/auth/status",
    {
      schema: {
        summary: "Whether the first admin still has to be created",
        tags: ["auth"],
        security: [],
        response: { 200: AuthStatus },
      },
    },
    async () => ({
      setupRequired: ctx.store.userCount() === 0,
    }),
  );

  app.post(
    "/auth/setup",
    {
      schema: {
        summary: "Create the first admin with the one-time setup token",
        tags: ["auth"],
        security: [],
        body: SetupBody,
        response: { 200: SessionView, ...errorResponses },
      },
    },
    async (request) => {
      if (ctx.store.userCount() > 0) throw errors.setupDone();
      if (!ctx.setupToken.consume(request.body.token)) throw errors.badSetupToken();
      const passwordHash = await hashPassword(request.body.password);
      const user = ctx.store.createUser(
        { email: request.body.email, role: "admin", passwordHash },
        { onlyIfNoUsers: true },
      );
      if (!user) throw errors.setupDone();
      request.log.info({ email: user.email }, "first admin created");
      return session(user);
    },
  );

  app.post(
    "/auth/login",
    {
      schema: {
        summary: "Sign in: a JWT for the Authorization header",
        tags: ["auth"],
        security: [],
        body: LoginBody,
        response: { 200: SessionView, ...errorResponses },
      },
    },
    async (request) => {
      const user = ctx.store.findUser(request.body.email);
      // Check a decoy hash for unknown emails so the answer time does not tell which part was wrong.
      const ok = await verifyPassword(
        request.body.password,
        user?.passwordHash ?? (await decoyHash),
      );
      if (!user || !ok) throw errors.invalidCredentials();
      return session(user);
    },
  );

  app.get(
    "/me",
    {
      onRequest: [app.authenticate],
      schema: {
        summary: "The signed-in user",
        tags: ["auth"],
        response: { 200: UserView, ...errorResponses },
      },
    },
    async (request) => ({ email: request.user.email, role: request.user.role }),
  );
};
