import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { addScript, callSightline, createPage, installStub, type Page } from "./testing.ts";
import { init } from "./tracker.ts";
import { BATCH_DELAY_MS } from "./transport.ts";

const SNIPPET = { src: "https://shop.com/sl/s.js", "data-site": "shop.com" };

function load(page: Page, attrs: Record<string, string> = SNIPPET): void {
  init(page.w, addScript(page.w, attrs));
}

function settle(): void {
  vi.advanceTimersByTime(BATCH_DELAY_MS);
}

function sightline(page: Page, ...args: unknown[]): void {
  callSightline(page.w, ...args);
}

describe("tracker", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends exactly one pageview on load, to {script folder}/e", () => {
    const page = createPage("https://shop.com/products/a?x=1", "https://search.example/");
    load(page);
    settle();
    vi.advanceTimersByTime(60_000);
    expect(page.fetch).toHaveBeenCalledTimes(1);
    expect(page.fetch.mock.calls[0]![0]).toBe("https://shop.com/sl/e");
    const [batch] = page.batches();
    expect(batch).toEqual({
      s: "shop.com",
      sv: "1",
      e: [
        {
          i: expect.any(String),
          n: "pageview",
          t: Date.parse("2026-01-01T00:00:00Z"),
          u: "https://shop.com/products/a?x=1",
          r: "https://search.example/",
          v: page.w.localStorage.getItem("sl_v"),
          x: page.w.localStorage.getItem("sl_s")?.split(".")[0],
          l: "en-US",
        },
      ],
    });
  });

  it("sends to data-api when set", () => {
    const page = createPage();
    load(page, { ...SNIPPET, "data-api": "https://collect.example.com/" });
    settle();
    expect(page.fetch.mock.calls[0]![0]).toBe("https://collect.example.com/e");
  });

  it("does nothing, and throws nothing, without data-site", () => {
    const page = createPage();
    expect(() => load(page, { src: "https://shop.com/sl/s.js" })).not.toThrow();
    expect(() => init(page.w, null)).not.toThrow();
    settle();
    expect(page.fetch).not.toHaveBeenCalled();
    expect(page.w.sightline).toBeUndefined();
  });

  it("sends another pageview on pushState", () => {
    const page = createPage("https://shop.com/a");
    load(page);
    settle();
    page.w.history.pushState({}, "", "/b?ref=nav");
    settle();
    expect(page.fetch).toHaveBeenCalledTimes(2);
    const urls = page.batches().flatMap((b) => b.e.map((e) => e.u));
    expect(urls).toEqual(["https://shop.com/a", "https://shop.com/b?ref=nav"]);
  });

  it("counts a popstate back to an earlier page", () => {
    const page = createPage("https://shop.com/a");
    load(page);
    page.w.history.pushState({}, "", "/b");
    // What the browser does on Back: the URL changes, then popstate fires. The tracker's
    // replaceState wrapper sees a new path here too, so this also proves the repeat is dropped.
    page.w.history.replaceState(null, "", "/a");
    page.w.dispatchEvent(new page.w.PopStateEvent("popstate", { state: null }));
    settle();
    const urls = page.batches().flatMap((b) => b.e.map((e) => e.u));
    expect(urls).toEqual(["https://shop.com/a", "https://shop.com/b", "https://shop.com/a"]);
  });

  it("does not send a pageview for replaceState on the same path", () => {
    const page = createPage("https://shop.com/a");
    load(page);
    page.w.history.replaceState({ scroll: 100 }, "");
    page.w.history.replaceState({}, "", "/a?tab=2");
    page.w.history.replaceState({}, "", "/a#reviews");
    settle();
    expect(page.names()).toEqual(["pageview"]);
  });

  it("sends a pageview for replaceState to a new path", () => {
    const page = createPage("https://shop.com/a");
    load(page);
    page.w.history.replaceState({}, "", "/login");
    settle();
    const urls = page.batches().flatMap((b) => b.e.map((e) => e.u));
    expect(urls).toEqual(["https://shop.com/a", "https://shop.com/login"]);
  });

  it("does not repeat a pageview for the same page twice in a row", () => {
    const page = createPage("https://shop.com/a");
    load(page);
    page.w.history.pushState({}, "", "/a");
    page.w.history.pushState({}, "", "/a#section");
    page.w.history.pushState({}, "", "/b");
    page.w.history.pushState({}, "", "/b");
    settle();
    expect(page.names()).toEqual(["pageview", "pageview"]);
  });

  it("replays calls queued before load in order, in the same batch as the pageview", () => {
    const page = createPage();
    installStub(page.w);
    sightline(page, "track", "first", { plan: "pro" });
    sightline(page, "config", "x", 1);
    sightline(page, "track", "second");
    load(page);
    sightline(page, "track", "third", { n: 3, nested: { dropped: true } });
    settle();
    expect(page.fetch).toHaveBeenCalledTimes(1);
    const [batch] = page.batches();
    expect(batch!.e.map((e) => [e.n, e.p])).toEqual([
      ["first", { plan: "pro" }],
      ["second", undefined],
      ["pageview", undefined],
      ["third", { n: 3 }],
    ]);
  });

  it("ignores commands that are not implemented yet, and bad track calls", () => {
    const page = createPage();
    load(page);
    expect(() => {
      sightline(page, "identify", "u1");
      sightline(page, "reset");
      sightline(page, "optout");
      sightline(page, "optin");
      sightline(page, "config", "k", "v");
      sightline(page, "whatever");
      sightline(page, "track");
      sightline(page, "track", "");
      sightline(page, "track", { name: "x" });
    }).not.toThrow();
    settle();
    expect(page.names()).toEqual(["pageview"]);
  });

  it("keeps working when localStorage throws", () => {
    const page = createPage("https://shop.com/a");
    Object.defineProperty(page.w, "localStorage", {
      get() {
        throw new DOMException("The operation is insecure.", "SecurityError");
      },
    });
    expect(() => load(page)).not.toThrow();
    sightline(page, "track", "signup");
    page.w.history.pushState({}, "", "/b");
    settle();
    const events = page.batches().flatMap((b) => b.e);
    expect(events.map((e) => e.n)).toEqual(["pageview", "signup", "pageview"]);
    // In-memory ids still tie the page's events together.
    expect(new Set(events.map((e) => e.v)).size).toBe(1);
    expect(new Set(events.map((e) => e.x)).size).toBe(1);
  });

  it("keeps visitor and session across page loads, and rotates the session after 30 idle minutes", () => {
    const first = createPage("https://shop.com/a");
    load(first);
    settle();
    const second = createPage("https://shop.com/b");
    second.w.localStorage.setItem("sl_v", first.w.localStorage.getItem("sl_v")!);
    second.w.localStorage.setItem("sl_s", first.w.localStorage.getItem("sl_s")!);
    vi.advanceTimersByTime(29 * 60_000);
    load(second);
    settle();
    vi.advanceTimersByTime(31 * 60_000);
    sightline(second, "track", "late");
    settle();
    const [a] = first.batches()[0]!.e;
    const [b, late] = second.batches().flatMap((batch) => batch.e);
    expect(b!.v).toBe(a!.v);
    expect(b!.x).toBe(a!.x);
    expect(late!.v).toBe(a!.v);
    expect(late!.x).not.toBe(a!.x);
  });

  it("waits while the page is prerendered", () => {
    const page = createPage();
    Object.defineProperty(page.w.document, "prerendering", { value: true, configurable: true });
    installStub(page.w);
    sightline(page, "track", "early");
    load(page);
    settle();
    expect(page.fetch).not.toHaveBeenCalled();
    Object.defineProperty(page.w.document, "prerendering", { value: false, configurable: true });
    page.w.document.dispatchEvent(new page.w.Event("prerenderingchange"));
    settle();
    expect(page.names()).toEqual(["early", "pageview"]);
  });

  it("stands down when the script is loaded twice", () => {
    const page = createPage();
    load(page);
    load(page);
    page.w.history.pushState({}, "", "/next");
    settle();
    expect(page.names()).toEqual(["pageview", "pageview"]);
  });

  it("flushes pending events with sendBeacon when the page is hidden", () => {
    const page = createPage();
    load(page);
    sightline(page, "track", "outbound", { to: "https://other.example/" });
    page.w.dispatchEvent(new page.w.Event("pagehide"));
    expect(page.fetch).not.toHaveBeenCalled();
    expect(page.beacon).toHaveBeenCalledTimes(1);
    expect(page.beacon.mock.calls[0]![0]).toBe("https://shop.com/sl/e");
    expect(page.names()).toEqual(["pageview", "outbound"]);
  });
});
