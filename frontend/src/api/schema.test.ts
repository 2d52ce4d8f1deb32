// @vitest-environment node
// The committed API types (schema.d.ts) must be what `gen:api` makes from the backend's routes
// today: a route or schema changed without regenerating fails here, not in the browser.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const FRONTEND = fileURLToPath(new URL("../..", import.meta.url));
const bin = (name: string) => join(FRONTEND, "node_modules", ".bin", name);

it("src/api/schema.d.ts matches the backend's OpenAPI document", () => {
  const dir = mkdtempSync(join(tmpdir(), "sl-gen-api-"));
  try {
    // The two steps of the gen:api script, written into a temporary folder instead.
    const doc = join(dir, "openapi.json");
    const types = join(dir, "schema.d.ts");
    execFileSync(bin("tsx"), ["../backend/src/openapi/dump.ts", doc], {
      cwd: FRONTEND,
      stdio: "pipe",
    });
    execFileSync(bin("openapi-typescript"), [doc, "-o", types], { cwd: FRONTEND, stdio: "pipe" });
    const fresh = readFileSync(types, "utf8");
    const committed = readFileSync(join(FRONTEND, "src", "api", "schema.d.ts"), "utf8");
    if (fresh !== committed) {
      expect.fail(
        "frontend/src/api/schema.d.ts is stale (the backend's routes changed): run pnpm --filter @sightline/frontend gen:api and commit the result",
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
