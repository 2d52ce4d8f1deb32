import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

/** One request as the receiver saw it. */
export interface Received {
  path: string;
  search: string;
  headers: Record<string, string>;
  body: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    receiverUrl: string;
  }
}

function readAll(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/**
 * A local HTTP receiver on 127.0.0.1 standing in for the sinks (collector-node's NDJSON endpoint,
 * ClickHouse's HTTP interface) and for the dead-letter reader. The workerd tests read what it
 * received through `GET /_records?path=...` and make a path fail with `POST /_fail?path=...`.
 */
export function startReceiver(): Promise<{ server: Server; url: string }> {
  const records: Received[] = [];
  const failing = new Set<string>();
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const body = await readAll(request);
    if (url.pathname === "/_records") {
      const path = url.searchParams.get("path");
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify(records.filter((r) => path === null || r.path === path)));
      return;
    }
    if (url.pathname === "/_fail") {
      const path = url.searchParams.get("path") ?? "";
      if (url.searchParams.get("on") === "0") failing.delete(path);
      else failing.add(path);
      response.statusCode = 204;
      response.end();
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name] = String(value);
    records.push({ path: url.pathname, search: url.search, headers, body });
    response.statusCode = failing.has(url.pathname) ? 500 : 204;
    response.end(failing.has(url.pathname) ? "receiver: down for this test" : undefined);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}

/** Vitest global setup for the workerd project: one receiver for the whole run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { server, url } = await startReceiver();
  project.provide("receiverUrl", url);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
