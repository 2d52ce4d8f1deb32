import { describe, expect, it } from "vitest";
import type { Site } from "../api/types.ts";
import { changesOf, draftOf, FEATURE_LABELS, FEATURE_ORDER, parseDomains } from "./siteForm.ts";

const site: Site = {
  id: "shop.example",
  name: "Shop",
  domains: ["shop.example"],
  timezone: "UTC",
  retention: { rawMonths: 13, rollupMonths: 60 },
  identity: "cookieless",
  features: ["engagement", "scroll"],
};

describe("site form", () => {
  it("reads domains as typed", () => {
    expect(parseDomains(" https://Shop.example/path\nwww.shop.example, shop.example ")).toEqual([
      "shop.example",
      "www.shop.example",
    ]);
  });

  it("sends only what changed, and nothing when nothing did", () => {
    expect(changesOf(site, draftOf(site))).toEqual({ changes: null, problem: null });
    const draft = { ...draftOf(site), timezone: "Europe/Berlin", features: ["scroll"] as const };
    expect(changesOf(site, { ...draft, features: [...draft.features] }).changes).toEqual({
      timezone: "Europe/Berlin",
      features: ["scroll"],
    });
    expect(changesOf(site, { ...draftOf(site), features: ["scroll", "engagement"] }).changes).toBe(
      null,
    );
  });

  it("names the problem with a bad field", () => {
    expect(changesOf(site, { ...draftOf(site), domains: " " }).problem).toMatch(/domain/);
    expect(
      changesOf(site, { ...draftOf(site), rawMonths: "20", rollupMonths: "12" }).problem,
    ).toMatch(/at least as long \(20 months\)/);
    expect(changesOf(site, { ...draftOf(site), rawMonths: "1.5" }).problem).toMatch(/whole months/);
  });

  it("lists every feature once", () => {
    expect([...FEATURE_ORDER].sort()).toEqual(Object.keys(FEATURE_LABELS).sort());
  });
});
