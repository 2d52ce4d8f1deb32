// The OpenAPI document the frontend's types are generated from (frontend: pnpm gen:api), built
// without a stack: no ClickHouse, no LMDB, no dashboard build.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { documentContext, openApiText } from "./dump.ts";

// biome-ignore lint/suspicious/noExplicitAny: the document is walked generically below
type Json = any;
let text: string;
let doc: Json;
beforeAll(async () => {
  text = await openApiText();
  doc = JSON.parse(text);
});

const operations = (): [string, string, Json][] =>
  Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]): [string, string, Json] => [method, path, op]),
  );

/** Places in a schema that would type as `unknown` or `{}` in generated code. */
function untyped(schema: Json, at: string): string[] {
  if (!schema || typeof schema !== "object") return [at];
  const inner = [
    ...(schema.anyOf ?? []).map((s: Json, i: number) => untyped(s, `${at}/anyOf/${i}`)),
    // A dashboard widget's source is a discriminated oneOf (src/schemas/dashboards.ts).
    ...(schema.oneOf ?? []).map((s: Json, i: number) => untyped(s, `${at}/oneOf/${i}`)),
    ...Object.entries(schema.properties ?? {}).map(([k, s]) => untyped(s, `${at}/${k}`)),
    ...(schema.items ? [untyped(schema.items, `${at}/items`)] : []),
    ...(typeof schema.additionalProperties === "object"
      ? [untyped(schema.additionalProperties, `${at}/*`)]
      : []),
  ].flat();
  const bare =
    (schema.type === "object" &&
      !schema.properties &&
      !schema.additionalProperties &&
      !schema.oneOf) ||
    (schema.type === "array" && !schema.items) ||
    (!schema.type && !schema.anyOf && !schema.enum && !schema.const);
  return bare ? [at, ...inner] : inner;
}

describe("the OpenAPI document", () => {
  it("is built by route registration alone, and the same text every time", async () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(await openApiText()).toBe(text);
    // Keys sorted at every level, two-space indented, one trailing newline.
    expect(Object.keys(doc.paths)).toEqual(Object.keys(doc.paths).sort());
    expect(text).toBe(`${JSON.stringify(doc, null, 2)}\n`);
    const paths = Object.keys(doc.paths);
    for (const p of [
      "/api/v1/dashboards/{id}",
      "/api/v1/query/meta",
      "/api/v1/sites/{id}",
      "/api/v1/sites/{id}/status",
      "/api/v1/reports/realtime",
      "/api/v1/me",
      "/api/v1/auth/login",
    ]) {
      expect(paths).toContain(p);
    }
    expect(paths.some((p) => p.startsWith("/sl/"))).toBe(false);
  });

  it("has stand-ins that name any part of the stack a route would use", () => {
    const ctx = documentContext();
    expect(() => ctx.store.getSite("x")).toThrow(/store\.getSite used while dumping/);
    expect(() => ctx.ch.read("SELECT 1")).toThrow(/ch\.read used while dumping/);
  });

  it("types every answer of every route, errors and time-outs included", () => {
    for (const [method, path, op] of operations()) {
      const name = `${method.toUpperCase()} ${path}`;
      // Success is a body, or a redirect for the browser flows (OIDC's start and callback).
      const ok =
        op.responses["200"] ?? op.responses["201"] ?? op.responses["302"] ?? op.responses["303"];
      expect(ok, name).toBeDefined();
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        for (const [type, media] of Object.entries(
          (response.content ?? {}) as Record<string, Json>,
        )) {
          // The document itself is free-form by nature.
          if (path === "/api/v1/openapi.json") continue;
          expect(untyped(media.schema, `${name} ${status} ${type}`)).toEqual([]);
        }
      }
      const signedIn = !(Array.isArray(op.security) && op.security.length === 0);
      if (signedIn) expect(op.responses["401"], name).toBeDefined();
      // Routes that run a query; /query/meta only lists the vocabulary.
      if (/^\/api\/v1\/((reports|query|stats)\/(?!meta$)|sites\/\{id\}\/status$)/.test(path)) {
        expect(op.responses["503"], name).toBeDefined();
      }
    }
    const json = (path: string, method: string, status: string) =>
      doc.paths[path][method].responses[status].content["application/json"].schema;
    expect(json("/api/v1/reports/realtime", "post", "200").required.sort()).toEqual([
      "minutes",
      "pages",
      "sources",
      "visitors",
    ]);
    expect(Object.keys(json("/api/v1/sites/{id}/status", "get", "200").properties).sort()).toEqual([
      "botEvents24h",
      "events24h",
      "firstEventAt",
      "lastEventAt",
    ]);
  });

  it("is what the command writes", () => {
    const out = join(mkdtempSync(join(tmpdir(), "sl-openapi-")), "openapi.json");
    const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));
    execFileSync(tsx, [fileURLToPath(new URL("./dump.ts", import.meta.url)), out], {
      stdio: "pipe",
    });
    expect(readFileSync(out, "utf8")).toBe(text);
  });
});
