import { describe, expect, it } from "vitest";
import { createStore } from "./store.ts";

function throwingStorage(): Storage {
  throw new DOMException("The operation is insecure.", "SecurityError");
}

describe("createStore", () => {
  it("reads and writes localStorage", () => {
    localStorage.clear();
    const store = createStore(() => localStorage);
    store.set("sl_v", "abc");
    expect(localStorage.getItem("sl_v")).toBe("abc");
    expect(createStore(() => localStorage).get("sl_v")).toBe("abc");
  });

  it("falls back to memory when reaching storage throws", () => {
    const store = createStore(throwingStorage);
    expect(store.get("sl_v")).toBeNull();
    expect(() => store.set("sl_v", "abc")).not.toThrow();
    expect(store.get("sl_v")).toBe("abc");
  });

  it("falls back to memory when setItem throws (quota exceeded)", () => {
    const full = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException("full", "QuotaExceededError");
      },
    } as unknown as Storage;
    const store = createStore(() => full);
    store.set("sl_s", "x.1");
    expect(store.get("sl_s")).toBe("x.1");
  });
});
