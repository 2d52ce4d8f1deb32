// Test helpers: a fresh jsdom page per test, with fetch and sendBeacon recorded.
import { JSDOM } from "jsdom";
import { vi } from "vitest";
import type { Batch } from "./payload.ts";
import type { Win } from "./win.ts";

export interface Page {
  dom: JSDOM;
  w: Win & JSDOM["window"];
  fetch: ReturnType<typeof vi.fn>;
  beacon: ReturnType<typeof vi.fn>;
  /** Every batch sent so far, by fetch or beacon, parsed. */
  batches(): Batch[];
  /** Names of every event sent so far, in order. */
  names(): string[];
}

export function createPage(url = "https://shop.com/products/a?x=1", referrer?: string): Page {
  const dom = new JSDOM("<!doctype html><html><head></head><body></body></html>", {
    url,
    // Lets tests run the real snippet text inside the page.
    runScripts: "outside-only",
    ...(referrer ? { referrer } : {}),
  });
  const w = dom.window as Win & JSDOM["window"];
  const fetch = vi.fn((_url: string, _init: RequestInit) => Promise.resolve(undefined));
  const beacon = vi.fn((_url: string, _body: string) => true);
  w.fetch = fetch as unknown as typeof w.fetch;
  Object.defineProperty(w.navigator, "sendBeacon", { value: beacon, configurable: true });
  const batches = () => [
    ...fetch.mock.calls.map((c) => JSON.parse(String(c[1].body)) as Batch),
    ...beacon.mock.calls.map((c) => JSON.parse(c[1]) as Batch),
  ];
  return {
    dom,
    w,
    fetch,
    beacon,
    batches,
    names: () => batches().flatMap((b) => b.e.map((e) => e.n)),
  };
}

export function addScript(w: Win, attrs: Record<string, string>): HTMLScriptElement {
  const script = w.document.createElement("script");
  for (const [key, value] of Object.entries(attrs)) script.setAttribute(key, value);
  w.document.head.appendChild(script);
  return script;
}

/** Runs the snippet's queue stub inside the page, exactly as sites paste it. */
export function installStub(w: JSDOM["window"]): void {
  w.eval(
    "window.sightline=window.sightline||function(){(sightline.q=sightline.q||[]).push(arguments)}",
  );
}

/** Calls window.sightline(...) the way page code would. */
export function callSightline(w: { sightline?: unknown }, ...args: unknown[]): void {
  (w.sightline as (...a: unknown[]) => void)(...args);
}
