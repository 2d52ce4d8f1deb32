// @vitest-environment node
// The core's size, measured on the built dist/s.js exactly as `pnpm bench tracker` reports it.
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

/** Issue 3's budget for the core: minified, then gzip -9. */
export const BUDGET = 2048;
/**
 * Where the core stands today, above BUDGET (see README.md, "Sizes"): the ceiling keeps it from
 * growing while the budget is open work. Lower it with every change that shrinks s.js.
 */
export const CEILING = 3220;

const core = new URL("../dist/s.js", import.meta.url);

describe("core size", () => {
  it(`the built s.js stays at or under its ${CEILING} B gzip -9 ceiling (budget ${BUDGET} B, not met yet)`, () => {
    if (!existsSync(core))
      throw new Error(
        `tracker/dist/s.js is missing: build it first with "pnpm --filter @sightline/tracker build" (the root "pnpm test" does)`,
      );
    const code = readFileSync(core);
    const gzip = gzipSync(code, { level: 9 }).length;
    expect(
      gzip,
      `s.js is ${gzip} B gzip -9 (${code.length} B raw): over its ${CEILING} B ceiling; the budget is ${BUDGET} B`,
    ).toBeLessThanOrEqual(CEILING);
  });
});
