import { describe, expect, it } from "vitest";
import { dashHref, readDash, switchTo } from "./dash.ts";
import { withFilter, withoutFilter } from "./filters.ts";

describe("the view in the URL", () => {
  it("reads and writes every part of a view, so a link reopens it", () => {
    const href =
      "/sites/shop.example/funnels?period=custom&from=2026-01-01&to=2026-01-31&compare=year_earlier&f.is.country=DE&f.contains.page=%2Fblog&metric=bounce_rate&g=week&tab.sources=utm_campaign&details=pages.entry&x.steps=%5B%5D";
    const [path, search] = href.split("?") as [string, string];
    const state = readDash(path, `?${search}`);
    expect(state).toMatchObject({
      site: "shop.example",
      page: "funnels",
      period: "custom",
      from: "2026-01-01",
      to: "2026-01-31",
      compare: "year_earlier",
      metric: "bounce_rate",
      granularity: "week",
      tabs: { sources: "utm_campaign" },
      details: "pages.entry",
      extra: { steps: "[]" },
    });
    expect(state.filters).toEqual([
      { dimension: "country", op: "is", value: "DE" },
      { dimension: "page", op: "contains", value: "/blog" },
    ]);
    expect(readDash(path, `?${new URL(dashHref(state), "http://x").search.slice(1)}`)).toEqual(
      state,
    );
  });

  it("keeps a share link's view on the link's page", () => {
    const state = readDash("/share/abc.def", "?period=7d");
    expect(state).toMatchObject({ share: "abc.def", site: null, board: null, period: "7d" });
    expect(dashHref({ ...state, period: "91d", compare: "previous_period" })).toBe(
      "/share/abc.def?period=91d&compare=previous_period",
    );
    expect(dashHref(switchTo(state, { page: "realtime" }))).toMatch(/^\/share\/abc\.def/);
  });

  it("keeps defaults out of the URL and ignores what it does not know", () => {
    const state = readDash("/sites/a.test", "?period=nope&metric=x&g=century&compare=1");
    expect(state).toMatchObject({ period: "30d", metric: "visitors", granularity: null });
    expect(dashHref(state)).toBe("/sites/a.test");
  });

  it("keeps filters with any characters, property dimensions included", () => {
    const filters = [{ dimension: "prop:plan.tier", op: "is" as const, value: "a&b=c d" }];
    const href = dashHref({ ...readDash("/sites/s", ""), filters });
    const url = new URL(href, "http://x");
    expect(readDash(url.pathname, url.search).filters).toEqual(filters);
  });

  it("drops page settings and open details when moving to another page or site", () => {
    const state = readDash(
      "/sites/s/journeys",
      "?x.page=%2F&details=pages.pages&f.is.device=mobile",
    );
    const moved = switchTo(state, { page: "dashboard" });
    expect(moved).toMatchObject({ page: "dashboard", extra: {}, details: null });
    expect(moved.filters).toHaveLength(1);
  });
});

describe("filters", () => {
  it("moves an `is` filter to the newly clicked value and removes exactly one", () => {
    const a = withFilter([], { dimension: "country", op: "is", value: "DE" });
    const b = withFilter(a, { dimension: "country", op: "is", value: "FR" });
    expect(b).toEqual([{ dimension: "country", op: "is", value: "FR" }]);
    const c = withFilter(b, { dimension: "page", op: "contains", value: "/blog" });
    expect(withoutFilter(c, { dimension: "country", op: "is", value: "FR" })).toEqual([
      { dimension: "page", op: "contains", value: "/blog" },
    ]);
  });
});
