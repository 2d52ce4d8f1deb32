import { describe, expect, it, vi } from "vitest";
import { watchHistory } from "./history.ts";
import { createPage } from "./testing.ts";

describe("watchHistory", () => {
  it("reports pushState after the URL changed", () => {
    const { w } = createPage("https://shop.com/a");
    const seen: string[] = [];
    watchHistory(w, () => seen.push(w.location.pathname));
    w.history.pushState({}, "", "/b");
    expect(seen).toEqual(["/b"]);
  });

  it("reports replaceState only when the path changes", () => {
    const { w } = createPage("https://shop.com/a");
    const onNavigate = vi.fn();
    watchHistory(w, onNavigate);
    w.history.replaceState({ scroll: 1 }, "");
    w.history.replaceState({}, "", "/a?sort=price");
    w.history.replaceState({}, "", "/a#reviews");
    expect(onNavigate).not.toHaveBeenCalled();
    w.history.replaceState({}, "", "/c");
    expect(onNavigate).toHaveBeenCalledTimes(1);
  });

  it("reports popstate", () => {
    const { w } = createPage("https://shop.com/a");
    const onNavigate = vi.fn();
    watchHistory(w, onNavigate);
    w.dispatchEvent(new w.PopStateEvent("popstate", { state: null }));
    expect(onNavigate).toHaveBeenCalledTimes(1);
  });

  it("keeps the page's own history calls working, state and errors included", () => {
    const { w } = createPage("https://shop.com/a");
    watchHistory(w, () => {});
    w.history.pushState({ step: 2 }, "", "/b");
    expect(w.history.state).toEqual({ step: 2 });
    expect(w.location.href).toBe("https://shop.com/b");
    // A cross-origin URL must still throw to the caller, as without the tracker.
    expect(() => w.history.pushState({}, "", "https://evil.example/")).toThrow();
  });
});
