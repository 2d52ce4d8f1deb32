import { Router } from "itty-router";
import { consumeBatch } from "./consumer.ts";
import { basePath, type Env } from "./env.ts";
import { handleIngest, handlePreflight } from "./ingest.ts";
import { handlePixel } from "./pixel.ts";
import { errorResponse } from "./respond.ts";
import { handleTracker } from "./tracker.ts";

export { SaltKeeper } from "./salts.ts";

type Args = [Env, ExecutionContext];

function methodNotAllowed(allow: string) {
  return () => errorResponse(405, "METHOD_NOT_ALLOWED", `use ${allow}`, { allow });
}

function buildRouter(base: string) {
  return Router<Request, Args, Response | undefined>({ base })
    .post("/e", (request, env) => handleIngest(request, env))
    .options("/e", (request) => handlePreflight(request))
    .all("/e", methodNotAllowed("POST"))
    .get("/s.js", (request) => handleTracker(request))
    .head("/s.js", (request) => handleTracker(request))
    .all("/s.js", methodNotAllowed("GET"))
    .get("/p.gif", (request, env) => handlePixel(request, env))
    .all("/p.gif", methodNotAllowed("GET"));
}

const routers = new Map<string, ReturnType<typeof buildRouter>>();

function routerFor(env: Env) {
  const base = basePath(env);
  let router = routers.get(base);
  if (!router) {
    router = buildRouter(base);
    routers.set(base, router);
  }
  return router;
}

export default {
  async fetch(request, env, ctx) {
    try {
      // Paths outside BASE_PATH match no route at all.
      const response = await routerFor(env).fetch(request, env, ctx);
      return response ?? errorResponse(404, "NOT_FOUND", "no such route");
    } catch (error) {
      console.error(`sightline: ${(error as Error).stack ?? error}`);
      return errorResponse(500, "INTERNAL", "internal error");
    }
  },
  async queue(batch, env) {
    await consumeBatch(batch, env);
  },
} satisfies ExportedHandler<Env, string>;
