import { describe, expect, it } from "vitest";
import { PLACE_CACHE_ENTRIES, placeCacheSize, placeOf } from "./place.ts";

const PAGE = "https://shop.test/pricing?utm_source=news&utm_medium=email&secret=1";

describe("placeOf", () => {
  it("gives a cached place the values a fresh parse gives", () => {
    const site = { id: "shop.test", domains: ["shop.test"] };
    const first = placeOf(PAGE, "https://www.google.com/search?q=x", false, site, undefined);
    const again = placeOf(PAGE, "https://www.google.com/search?q=x", false, site, undefined);
    expect(again).toBe(first);
    expect(first).toMatchObject({
      page: {
        hostname: "shop.test",
        pathname: "/pricing",
        query: "utm_source=news&utm_medium=email",
      },
      referrer: "https://www.google.com/search",
      referrerDomain: "google.com",
      channel: "email",
      utmSource: "news",
      utmMedium: "email",
    });
  });

  it("works a place out afresh for a reloaded site, other query keys or hash routing", () => {
    const before = { id: "blog.test", domains: ["blog.test"] };
    const referrer = "https://partner.test/intro";
    expect(
      placeOf("https://blog.test/a?k=1", referrer, false, before, undefined)?.referrerDomain,
    ).toBe("partner.test");
    // The site now owns partner.test too: the same referrer is internal, not a referral.
    const after = { id: "blog.test", domains: ["blog.test", "partner.test"] };
    const reloaded = placeOf("https://blog.test/a?k=1", referrer, false, after, undefined);
    expect(reloaded).toMatchObject({ referrer: "", referrerDomain: "", channel: "direct" });
    const withKey = placeOf("https://blog.test/a?k=1", referrer, false, after, new Set(["k"]));
    expect(withKey?.page.query).toBe("k=1");
    expect(placeOf("https://blog.test/#/b", undefined, true, after, undefined)?.page.pathname).toBe(
      "/b",
    );
    expect(
      placeOf("https://blog.test/#/b", undefined, false, after, undefined)?.page.pathname,
    ).toBe("/");
  });

  it("does not mix up sites whose ids and URLs run into each other", () => {
    const a = { id: "a", domains: ["a.test"] };
    const ab = { id: "ab", domains: ["b.test"] };
    const onA = placeOf("https://b.test/x", undefined, false, a, undefined);
    const onAb = placeOf("https://b.test/x", undefined, false, ab, undefined);
    expect(onA).not.toBe(onAb);
  });

  it("caches URLs that are not pages as null, and stays within its bound", () => {
    const site = { id: "many.test", domains: ["many.test"] };
    expect(placeOf("javascript:alert(1)", undefined, false, site, undefined)).toBeNull();
    for (let i = 0; i < PLACE_CACHE_ENTRIES + 50; i++) {
      placeOf(`https://many.test/p/${i}`, undefined, false, site, undefined);
    }
    expect(placeCacheSize()).toBe(PLACE_CACHE_ENTRIES);
    // The newest are kept, and still right.
    const last = `https://many.test/p/${PLACE_CACHE_ENTRIES + 49}`;
    expect(placeOf(last, undefined, false, site, undefined)?.page.pathname).toBe(
      `/p/${PLACE_CACHE_ENTRIES + 49}`,
    );
  });
});
