// docs/security.md's tables are generated from the code; this fails while the committed ones
// differ (regenerate: pnpm --filter @sightline/backend docs).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generatedSections, SECURITY_DOC, withGenerated } from "./docs.ts";

describe("docs/security.md", () => {
  it("has the permission and route tables the code defines", async () => {
    const committed = readFileSync(SECURITY_DOC, "utf8");
    expect(committed).toBe(withGenerated(committed, await generatedSections()));
  });
});
