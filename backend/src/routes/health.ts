import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../context.ts";

const CheckSchema = Type.Object({ ok: Type.Boolean(), detail: Type.String() });
const ReadySchema = Type.Object({
  status: Type.Union([Type.Literal("ready"), Type.Literal("not_ready")]),
  checks: Type.Object({ clickhouse: CheckSchema, spool: CheckSchema, shipper: CheckSchema }),
});

const STARTED = Date.now();

/**
 * Probes at the root, JSON only (never the dashboard's HTML): `/healthz` answers while the
 * process runs; `/readyz` is 200 only when ClickHouse answers, the spool is writable and the
 * shipper is not behind (503 otherwise, naming the failing check). Left out of the API document.
 */
export async function healthRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  app.get(
    "/healthz",
    {
      schema: {
        hide: true,
        response: {
          200: Type.Object({ status: Type.Literal("ok"), uptimeSeconds: Type.Number() }),
        },
      },
    },
    async (_request, reply) => {
      reply.header("cache-control", "no-store");
      return { status: "ok" as const, uptimeSeconds: Math.round((Date.now() - STARTED) / 1000) };
    },
  );
  app.get(
    "/readyz",
    { schema: { hide: true, response: { 200: ReadySchema, 503: ReadySchema } } },
    async (_request, reply) => {
      const ready = await ctx.readiness();
      reply.header("cache-control", "no-store");
      return reply.code(ready.status === "ready" ? 200 : 503).send(ready);
    },
  );
}
