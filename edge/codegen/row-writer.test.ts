import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ROW_WRITER_FILE, renderRowWriter } from "./row-writer.ts";

describe("the generated NDJSON line writer", () => {
  it("is up to date with the column table", () => {
    expect(
      readFileSync(ROW_WRITER_FILE, "utf8"),
      "run: npx --yes pnpm@12.21.0 --filter @sightline/edge generate",
    ).toBe(renderRowWriter());
  });
});
