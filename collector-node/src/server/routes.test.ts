import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { settingsSchema } from "@sightline/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CollectorMetrics } from "../metrics.ts";
import { PIXEL_GIF } from "../pixel.ts";
import type { TrackerAsset } from "../tracker-asset.ts";
import { type CollectorHandlerOptions, createCollectorHandler } from "./handler.ts";
import { FIREFOX, pageview } from "./testing.ts";

// Which method and path reach which answer: every route, the methods it does not take, and
// what is not a route at all, for a collector with and without a tracker build and a token.

const asset = (text: string): TrackerAsset => ({
  etag: `"${text.length}"`,
  identity: Buffer.from(text),
  gzip: gzipSync(text),
  brotli: brotliCompressSync(text),
});
const TOKEN = "internal-token-0123456789abcdef0123456789";

function serve(overrides: Partial<CollectorHandlerOptions>) {
  const handler = createCollectorHandler({
    salts: { saltFor: async (day) => `salt-${day}` },
    sites: { get: (id) => (id === "example.com" ? { id, domains: ["example.com"] } : undefined) },
    append: async () => {},
    trustedProxies: [],
    collector: settingsSchema.parse({}).collector,
    spoolDir: "/nonexistent",
    log: () => {},
    ...overrides,
  });
  const server = createServer((req, res) => void handler(req, res, req.url ?? "/"));
  let base = "";
  return {
    base: () => base,
    listen: () =>
      new Promise<void>((r) =>
        server.listen(0, "127.0.0.1", () => {
          base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
          r();
        }),
      ),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const built = serve({
  tracker: asset("/* s.js */"),
  plugins: new Map([["/errors.js", asset("/* errors.js */")]]),
  collector: { ...settingsSchema.parse({}).collector, internalToken: TOKEN, metricsToken: TOKEN },
});
// No token: /metrics is not served, so its counts are read from the metrics object itself.
const bareMetrics = new CollectorMetrics();
const bare = serve({ metrics: bareMetrics });
beforeAll(async () => {
  await built.listen();
  await bare.listen();
});
afterAll(async () => {
  await built.close();
  await bare.close();
});

const BATCH = JSON.stringify({ s: "example.com", e: [pageview("route-0001")] });
const ROW = JSON.stringify({});

async function answer(base: string, method: string, path: string) {
  const body = method === "POST" ? (path.startsWith("/internal") ? ROW : BATCH) : undefined;
  const res = await fetch(`${base}${path}`, {
    method,
    body,
    headers: { "user-agent": FIREFOX, authorization: `Bearer ${TOKEN}` },
  });
  const text = await res.text();
  return { status: res.status, text, type: res.headers.get("content-type") };
}

describe("the collector's routes", () => {
  it("answers each route's methods, 405 for the others, 404 for what is not a route", async () => {
    const cases: [string, string, number][] = [
      ["POST", "/e", 204],
      ["OPTIONS", "/e", 204],
      ["GET", "/e", 405],
      ["HEAD", "/e", 405],
      ["PUT", "/e", 405],
      ["GET", "/p.gif?s=example.com&u=https://example.com/", 200],
      ["HEAD", "/p.gif", 200],
      ["POST", "/p.gif", 405],
      ["GET", "/s.js", 200],
      ["HEAD", "/s.js", 200],
      ["POST", "/s.js", 405],
      ["GET", "/errors.js", 200],
      ["POST", "/errors.js", 404],
      ["GET", "/vitals.js", 404],
      ["GET", "/healthz", 200],
      ["GET", "/healthz?probe=1", 200],
      ["HEAD", "/healthz", 200],
      ["POST", "/healthz", 405],
      ["OPTIONS", "/healthz", 405],
      ["GET", "/metrics", 200],
      ["DELETE", "/metrics", 405],
      ["POST", "/internal/ndjson", 400],
      ["GET", "/internal/ndjson", 405],
      ["GET", "/nope", 404],
      ["OPTIONS", "/nope", 404],
      ["GET", "/", 404],
    ];
    const got: [string, string, number][] = [];
    for (const [method, path] of cases)
      got.push([method, path, (await answer(built.base(), method, path)).status]);
    expect(got).toEqual(cases);
  });

  it("without a tracker build or a token: s.js and /internal/ndjson are not there at all", async () => {
    const cases: [string, string, number][] = [
      ["GET", "/s.js", 404],
      ["POST", "/s.js", 404],
      ["GET", "/errors.js", 404],
      ["POST", "/internal/ndjson", 404],
      ["GET", "/internal/ndjson", 405],
      ["GET", "/metrics", 404],
      ["POST", "/e", 204],
    ];
    const got: [string, string, number][] = [];
    for (const [method, path] of cases)
      got.push([method, path, (await answer(bare.base(), method, path)).status]);
    expect(got).toEqual(cases);
  });

  it("answers 404 and 405 as JSON errors, the pixel as a GIF, and OPTIONS /e as a preflight", async () => {
    expect(JSON.parse((await answer(built.base(), "GET", "/nope")).text)).toEqual({
      status: 404,
      code: "NOT_FOUND",
      error: "not found",
    });
    expect(JSON.parse((await answer(built.base(), "PUT", "/e")).text)).toEqual({
      status: 405,
      code: "METHOD_NOT_ALLOWED",
      error: "method not allowed",
    });
    const pixel = await fetch(`${built.base()}/p.gif`);
    expect(Buffer.from(await pixel.arrayBuffer())).toEqual(PIXEL_GIF);
    const head = await fetch(`${built.base()}/s.js`, { method: "HEAD" });
    expect(head.headers.get("etag")).toBe(`"${"/* s.js */".length}"`);
    expect(await head.text()).toBe("");
    const preflight = await fetch(`${built.base()}/e`, {
      method: "OPTIONS",
      headers: { origin: "https://example.com" },
    });
    expect(Object.fromEntries(preflight.headers)).toMatchObject({
      "access-control-allow-origin": "https://example.com",
      "access-control-allow-methods": "POST",
      "access-control-allow-headers": "content-type",
      "access-control-max-age": "86400",
    });
  });

  it("counts requests by route, and everything that is not one of the routes as other", async () => {
    const text = bareMetrics.render("/nonexistent");
    const count = (route: string, status: number) =>
      Number(
        new RegExp(
          `^sightline_collector_requests_total\\{route="${route.replaceAll(".", "\\.")}",status="${status}"\\} (\\d+)$`,
          "m",
        ).exec(text)?.[1] ?? 0,
      );
    expect(count("/e", 204)).toBe(1);
    expect(count("/s.js", 404)).toBe(2);
    expect(count("/internal/ndjson", 404)).toBe(1);
    expect(count("/internal/ndjson", 405)).toBe(1);
    expect(count("other", 404)).toBe(1);
    expect(count("/metrics", 404)).toBe(1);
    const all = (await answer(built.base(), "GET", "/metrics")).text;
    expect(all).toMatch(/route="other",status="200"\} 1$/m);
    expect(all).toMatch(/route="other",status="404"\} 6$/m);
    expect(all).toMatch(/route="\/p\.gif",status="405"\} 1$/m);
  });
});
