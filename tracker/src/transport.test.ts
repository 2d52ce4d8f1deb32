import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { WireEvent } from "./payload.ts";
import { createPage } from "./testing.ts";
import { BATCH_DELAY_MS, createTransport, MAX_BATCH } from "./transport.ts";

function event(n: string): WireEvent {
  return { i: `id-${n}`, n, t: 1, u: "https://shop.com/", v: "v", x: "x" };
}

function hide(w: ReturnType<typeof createPage>["w"]): void {
  Object.defineProperty(w.document, "visibilityState", { value: "hidden", configurable: true });
  w.document.dispatchEvent(new w.Event("visibilitychange"));
}

describe("createTransport", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("POSTs text/plain JSON with keepalive to {base}/e", () => {
    const page = createPage();
    const transport = createTransport(page.w, "shop.com", "https://shop.com/sl");
    transport.send(event("pageview"));
    vi.advanceTimersByTime(BATCH_DELAY_MS);
    expect(page.fetch).toHaveBeenCalledTimes(1);
    const [url, init] = page.fetch.mock.calls[0]!;
    expect(url).toBe("https://shop.com/sl/e");
    expect(init).toEqual({
      method: "POST",
      body: JSON.stringify({ s: "shop.com", sv: "1", e: [event("pageview")] }),
      keepalive: true,
      headers: { "Content-Type": "text/plain" },
    });
  });

  it("batches events sent close together into one request", () => {
    const page = createPage();
    const transport = createTransport(page.w, "shop.com", "/sl");
    transport.send(event("a"));
    transport.send(event("b"));
    expect(page.fetch).not.toHaveBeenCalled();
    vi.advanceTimersByTime(BATCH_DELAY_MS);
    transport.send(event("c"));
    vi.advanceTimersByTime(BATCH_DELAY_MS);
    expect(page.batches().map((b) => b.e.map((e) => e.n))).toEqual([["a", "b"], ["c"]]);
  });

  it("splits large bursts into batches of at most MAX_BATCH", () => {
    const page = createPage();
    const transport = createTransport(page.w, "shop.com", "/sl");
    for (let i = 0; i < MAX_BATCH * 2 + 1; i++) transport.send(event(String(i)));
    vi.advanceTimersByTime(BATCH_DELAY_MS);
    expect(page.batches().map((b) => b.e.length)).toEqual([MAX_BATCH, MAX_BATCH, 1]);
    expect(page.names()).toEqual(Array.from({ length: MAX_BATCH * 2 + 1 }, (_, i) => String(i)));
  });

  it("flushes with sendBeacon on pagehide, and only once", () => {
    const page = createPage();
    const transport = createTransport(page.w, "shop.com", "/sl");
    transport.send(event("a"));
    page.w.dispatchEvent(new page.w.Event("pagehide"));
    expect(page.beacon).toHaveBeenCalledTimes(1);
    expect(page.beacon.mock.calls[0]![0]).toBe("/sl/e");
    vi.advanceTimersByTime(BATCH_DELAY_MS);
    expect(page.fetch).not.toHaveBeenCalled();
    expect(page.names()).toEqual(["a"]);
  });

  it("flushes with sendBeacon when the page becomes hidden", () => {
    const page = createPage();
    const transport = createTransport(page.w, "shop.com", "/sl");
    transport.send(event("a"));
    hide(page.w);
    expect(page.beacon).toHaveBeenCalledTimes(1);
    expect(page.names()).toEqual(["a"]);
  });

  it("sends nothing on hide when the queue is empty", () => {
    const page = createPage();
    createTransport(page.w, "shop.com", "/sl");
    page.w.dispatchEvent(new page.w.Event("pagehide"));
    expect(page.beacon).not.toHaveBeenCalled();
    expect(page.fetch).not.toHaveBeenCalled();
  });

  it("falls back to fetch when sendBeacon refuses the body", () => {
    const page = createPage();
    page.beacon.mockReturnValue(false);
    const transport = createTransport(page.w, "shop.com", "/sl");
    transport.send(event("a"));
    page.w.dispatchEvent(new page.w.Event("pagehide"));
    expect(page.fetch).toHaveBeenCalledTimes(1);
    expect(page.fetch.mock.calls[0]![1].keepalive).toBe(true);
  });

  it("swallows network errors and a throwing fetch", () => {
    const page = createPage();
    const transport = createTransport(page.w, "shop.com", "/sl");
    const failed = Promise.reject(new TypeError("Failed to fetch"));
    const handled = vi.spyOn(failed, "catch");
    page.fetch.mockReturnValueOnce(failed);
    transport.send(event("a"));
    expect(() => vi.advanceTimersByTime(BATCH_DELAY_MS)).not.toThrow();
    expect(handled).toHaveBeenCalledTimes(1);

    page.fetch.mockImplementationOnce(() => {
      throw new TypeError("blocked by an extension");
    });
    transport.send(event("b"));
    expect(() => vi.advanceTimersByTime(BATCH_DELAY_MS)).not.toThrow();
    expect(page.fetch).toHaveBeenCalledTimes(2);
  });
});
