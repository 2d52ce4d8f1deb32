import { createCollectorRuntime } from "@sightline/collector-node";
import { loadSettings } from "@sightline/config";
import Fastify from "fastify";

// The collector handler behind Fastify instead of bare node:http, for `pnpm bench collector`'s
// side-by-side (single process). The shipped collector uses node:http (collector-node/README.md).
const settings = loadSettings();
const runtime = createCollectorRuntime(settings, { log: (line) => console.log(line), workers: 1 });
const app = Fastify({ logger: false });
app.addHook("onRequest", async (request, reply) => {
  reply.hijack();
  const url = request.url;
  await runtime.handler(request.raw, reply.raw, url.startsWith("/sl/") ? url.slice(3) : url);
});
app.all("/*", async () => {
  throw new Error("the collector handler answers every request");
});
await app.listen({ host: settings.server.host, port: settings.server.port });
console.log(`fastify collector listening on ${settings.server.host}:${settings.server.port}`);
const stop = () => void app.close().then(() => runtime.close().then(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
