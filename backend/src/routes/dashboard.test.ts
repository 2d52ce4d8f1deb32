// The built dashboard as the stack serves it: the files of frontend/dist (built by `pnpm build`,
// compressed copies included) with their encodings and cache headers.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FRONTEND_DIR } from "../paths.ts";
import { testStack } from "../testing/stack.ts";

let stack: Awaited<ReturnType<typeof testStack>>;
beforeAll(async () => {
  stack = await testStack();
});
afterAll(() => stack.close());

const IMMUTABLE = "public, max-age=31536000, immutable";
const INDEX = readFileSync(join(FRONTEND_DIR, "index.html"));

/** The build's hashed files of one kind, largest first (those surely have compressed copies). */
function assets(ext: string): string[] {
  const dir = join(FRONTEND_DIR, "assets");
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort((a, b) => readFileSync(join(dir, b)).length - readFileSync(join(dir, a)).length);
}

const get = (url: string, encoding?: string) =>
  stack.app.inject({
    method: "GET",
    url,
    headers: encoding === undefined ? {} : { "accept-encoding": encoding },
  });

/** The body as the browser sees it, decoded by the answer's Content-Encoding. */
function decoded(res: LightMyRequestResponse): Buffer {
  const encoding = res.headers["content-encoding"];
  if (encoding === "br") return brotliDecompressSync(res.rawPayload);
  if (encoding === "gzip") return gunzipSync(res.rawPayload);
  expect(encoding).toBeUndefined();
  return res.rawPayload;
}

describe("dashboard files", () => {
  it("serves the brotli and gzip copies written at build time, cacheable for good", async () => {
    for (const ext of [".js", ".css"]) {
      const name = assets(ext)[0];
      expect(name, `no ${ext} file in ${FRONTEND_DIR}/assets: run pnpm build`).toBeDefined();
      const file = readFileSync(join(FRONTEND_DIR, "assets", name as string));
      for (const [accept, encoding] of [
        ["br", "br"],
        ["gzip", "gzip"],
        ["gzip, deflate, br, zstd", "br"],
      ] as const) {
        const res = await get(`/assets/${name}`, accept);
        expect(res.statusCode).toBe(200);
        expect(res.headers["content-encoding"], `${name} with ${accept}`).toBe(encoding);
        expect(res.headers.vary).toMatch(/accept-encoding/i);
        expect(res.headers["cache-control"]).toBe(IMMUTABLE);
        expect(res.headers["content-type"]).toMatch(ext === ".js" ? /javascript/ : /text\/css/);
        expect(res.rawPayload.length).toBeLessThan(file.length);
        expect(decoded(res).equals(file)).toBe(true);
      }
      // A client that takes no encoding gets the file itself, with the same caching.
      const plain = await get(`/assets/${name}`);
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.headers.vary).toMatch(/accept-encoding/i);
      expect(plain.headers["cache-control"]).toBe(IMMUTABLE);
      expect(plain.rawPayload.equals(file)).toBe(true);
    }
  });

  it("has the page itself and client-side routes revalidated on every load", async () => {
    for (const url of ["/", "/index.html", "/sites/x", "/sites/shop.example/pages?period=7d"]) {
      for (const accept of ["br", "gzip", undefined]) {
        const res = await get(url, accept);
        expect(res.statusCode, url).toBe(200);
        expect(res.headers["content-type"]).toMatch(/text\/html/);
        expect(res.headers["cache-control"], `${url} ${accept}`).toBe("no-cache");
        expect(decoded(res).equals(INDEX), `${url} ${accept}`).toBe(true);
      }
    }
  });

  it("never answers the dashboard for unknown API paths or missing hashed files", async () => {
    for (const url of ["/api/v1/nope", "/api/nope", "/api", "/assets/gone-0123abcd.js"]) {
      const res = await get(url, "br");
      expect(res.statusCode, url).toBe(404);
      expect(res.headers["content-type"]).toMatch(/application\/json/);
      expect(res.json()).toMatchObject({ statusCode: 404, code: "NOT_FOUND" });
    }
    const post = await stack.app.inject({ method: "POST", url: "/api/v1/nope" });
    expect(post.statusCode).toBe(404);
    expect(post.json().code).toBe("NOT_FOUND");
    // The compressed copies are reached through Accept-Encoding only.
    const copy = await get(`/assets/${assets(".js")[0]}.br`);
    expect(copy.statusCode).toBe(404);
  });
});
