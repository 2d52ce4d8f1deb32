import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { proxyRecipes } from "../../../frontend/src/sites/recipes.ts";
import { EXAMPLE, PROXIES_DOC, renderProxiesDoc } from "./proxies-doc.ts";

describe("docs/deploy/proxies.md", () => {
  it("is rendered from the dashboard's recipes (npx tsx ops/src/deploy/proxies-doc.ts --write)", () => {
    expect(readFileSync(PROXIES_DOC, "utf8")).toBe(renderProxiesDoc());
  });

  it("has a recipe for every platform the issue names, each naming the trust setting", () => {
    const recipes = proxyRecipes(EXAMPLE.server, EXAMPLE.site);
    expect(recipes.map((r) => r.key)).toEqual([
      "nginx",
      "caddy",
      "apache",
      "cloudflare",
      "nextjs",
      "netlify",
    ]);
    for (const r of recipes) {
      expect(r.text, r.key).toContain(`${EXAMPLE.server}`);
      expect(r.note, r.key).toContain("server.trustedProxies");
    }
  });
});
