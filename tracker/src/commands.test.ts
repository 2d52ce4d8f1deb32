import { describe, expect, it, vi } from "vitest";
import { type Handler, installCommands, isLoaded } from "./commands.ts";
import { callSightline as call, createPage, installStub } from "./testing.ts";

describe("installCommands", () => {
  it("replays queued calls in order, then takes new calls directly", () => {
    const { w } = createPage();
    installStub(w);
    call(w, "track", "first", { a: 1 });
    call(w, "identify", "u1");
    call(w, "track", "second");
    const log: unknown[][] = [];
    const handlers = new Map<string, Handler>([
      ["track", (...args) => log.push(["track", ...args])],
      ["identify", (...args) => log.push(["identify", ...args])],
    ]);
    installCommands(w, handlers);
    call(w, "track", "third");
    expect(log).toEqual([
      ["track", "first", { a: 1 }],
      ["identify", "u1"],
      ["track", "second"],
      ["track", "third"],
    ]);
    expect(isLoaded(w)).toBe(true);
  });

  it("works without a stub", () => {
    const { w } = createPage();
    const track = vi.fn();
    installCommands(w, new Map([["track", track]]));
    call(w, "track", "x");
    expect(track).toHaveBeenCalledWith("x");
  });

  it("ignores unknown commands, prototype names and non-string commands", () => {
    const { w } = createPage();
    const track = vi.fn();
    installCommands(w, new Map([["track", track]]));
    expect(() => {
      call(w, "nope");
      call(w, "toString");
      call(w, "constructor");
      call(w, 42);
      call(w);
    }).not.toThrow();
    expect(track).not.toHaveBeenCalled();
  });

  it("keeps going when a handler throws, in replay and later", () => {
    const { w } = createPage();
    installStub(w);
    call(w, "boom");
    call(w, "track", "after");
    const track = vi.fn();
    const handlers = new Map<string, Handler>([
      [
        "boom",
        () => {
          throw new Error("bad");
        },
      ],
      ["track", track],
    ]);
    installCommands(w, handlers);
    expect(() => call(w, "boom")).not.toThrow();
    expect(track).toHaveBeenCalledWith("after");
  });

  it("survives a malformed queue", () => {
    const { w } = createPage();
    w.sightline = { q: "garbage" };
    const track = vi.fn();
    expect(() => installCommands(w, new Map([["track", track]]))).not.toThrow();
    call(w, "track", "x");
    expect(track).toHaveBeenCalledTimes(1);
  });

  it("skips malformed queue entries and replays the rest", () => {
    const { w } = createPage();
    w.sightline = { q: [null, ["track", "a"], 7, {}, ["track", "b"]] };
    const track = vi.fn();
    expect(() => installCommands(w, new Map([["track", track]]))).not.toThrow();
    expect(track.mock.calls).toEqual([["a"], ["b"]]);
  });
});
