import cluster from "node:cluster";
import { createServer } from "node:http";
import { availableParallelism } from "node:os";

// node:http's floor for `pnpm bench collector`: the collector's cluster layout (one worker per
// core) around a handler that only reads the body and answers 204 with the same CORS headers.
// What the collector costs beyond this is its own work; what this costs, node:http's.
const host = process.env.SIGHTLINE_SERVER_HOST ?? "127.0.0.1";
const port = Number(process.env.SIGHTLINE_SERVER_PORT ?? 0);

if (cluster.isPrimary) {
  for (let i = 0; i < availableParallelism(); i++) cluster.fork();
  const stop = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} else {
  const server = createServer((req, res) => {
    if (req.url?.endsWith("/healthz")) {
      res.writeHead(200);
      res.end("ok");
      return;
    }
    req.on("data", () => {});
    req.on("end", () => {
      const origin = req.headers.origin;
      res.writeHead(
        204,
        origin
          ? {
              "access-control-allow-origin": origin,
              "access-control-expose-headers": "Retry-After",
              vary: "Origin",
            }
          : {},
      );
      res.end();
    });
  });
  server.listen(port, host, () => console.log(`node:http floor listening on ${host}:${port}`));
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}
