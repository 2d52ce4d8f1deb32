import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createEvent } from "./event.ts";
import { createStore } from "./store.ts";
import { createPage } from "./testing.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("createEvent", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-03-04T05:06:07.089Z"));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("fills every key of the wire format", () => {
    const { w } = createPage("https://shop.com/p?q=1#top", "https://search.example/");
    const store = createStore(() => w.localStorage);
    const event = createEvent(w, store, "signup", { plan: "pro", n: 2 });
    expect(Object.keys(event)).toEqual(["i", "n", "t", "u", "r", "v", "x", "l", "p"]);
    expect(event).toEqual({
      i: expect.stringMatching(UUID),
      n: "signup",
      t: Date.parse("2026-03-04T05:06:07.089Z"),
      u: "https://shop.com/p?q=1#top",
      r: "https://search.example/",
      v: w.localStorage.getItem("sl_v"),
      x: w.localStorage.getItem("sl_s")?.split(".")[0],
      l: w.navigator.language,
      p: { plan: "pro", n: 2 },
    });
    expect(event.v).toMatch(UUID);
    expect(event.x).toMatch(UUID);
  });

  it("omits referrer, language and props when empty", () => {
    const { w } = createPage("https://shop.com/");
    Object.defineProperty(w.navigator, "language", { value: "", configurable: true });
    const event = createEvent(
      w,
      createStore(() => w.localStorage),
      "pageview",
    );
    expect(JSON.parse(JSON.stringify(event))).toEqual({
      i: event.i,
      n: "pageview",
      t: Date.now(),
      u: "https://shop.com/",
      v: event.v,
      x: event.x,
    });
  });

  it("gives each event its own id but the same visitor and session", () => {
    const { w } = createPage();
    const store = createStore(() => w.localStorage);
    const a = createEvent(w, store, "a");
    const b = createEvent(w, store, "b");
    expect(a.i).not.toBe(b.i);
    expect(a.v).toBe(b.v);
    expect(a.x).toBe(b.x);
  });
});
