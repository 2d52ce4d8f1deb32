// Writes the API's OpenAPI document as stable, pretty JSON, for generated client types
// (frontend: `pnpm --filter @sightline/frontend gen:api`).
//   tsx backend/src/openapi/dump.ts <out.json>
// Only route registration runs: no ClickHouse, no LMDB, no spool, nothing listens.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSettings } from "@sightline/config";
import { buildApp } from "../app.ts";
import type { AppContext } from "../context.ts";

/** A stand-in for a part of the stack: any use of it throws, naming the part. */
function unavailable<T extends object>(part: string): T {
  return new Proxy({} as T, {
    get(_, key) {
      throw new Error(`${part}.${String(key)} used while dumping the OpenAPI document`);
    },
  });
}

/** What buildApp needs to register routes, with every part that does I/O unavailable. */
export function documentContext(): AppContext {
  return {
    // Defaults only: no config file (an empty `cwd` has none) and no environment.
    settings: loadSettings({ cwd: join(tmpdir(), "sightline-openapi-no-config"), env: {} }),
    ch: unavailable("ch"),
    store: unavailable("store"),
    jwtSecret: "openapi-document-only",
    setupToken: unavailable("setupToken"),
    salts: unavailable("salts"),
    appendToSpool: () => Promise.reject(new Error("appendToSpool used while dumping")),
    tracker: unavailable("tracker"),
    trackerPlugins: new Map(),
    readiness: () => Promise.reject(new Error("readiness used while dumping")),
    // Static files are globbed at registration; a folder that does not exist has none.
    frontendDir: join(tmpdir(), "sightline-openapi-no-dashboard"),
  };
}

/** Object keys sorted at every level, so the text changes only when the API does. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The OpenAPI document as `GET /api/v1/openapi.json` serves it, as text. */
export async function openApiText(): Promise<string> {
  const app = await buildApp(documentContext());
  try {
    await app.ready();
    return `${JSON.stringify(sorted(app.swagger()), null, 2)}\n`;
  } finally {
    await app.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    console.error("usage: tsx backend/src/openapi/dump.ts <out.json>");
    process.exit(2);
  }
  writeFileSync(out, await openApiText());
}
