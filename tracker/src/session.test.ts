import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SESSION_IDLE_MS, sessionId, visitorId } from "./session.ts";
import { createStore, type Store } from "./store.ts";

describe("visitorId", () => {
  it("is created once and kept in localStorage under sl_v", () => {
    localStorage.clear();
    const id = visitorId(createStore(() => localStorage));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(localStorage.getItem("sl_v")).toBe(id);
    expect(visitorId(createStore(() => localStorage))).toBe(id);
  });

  it("stays stable in memory when storage throws", () => {
    const store = createStore(() => {
      throw new Error("blocked");
    });
    const id = visitorId(store);
    expect(visitorId(store)).toBe(id);
  });
});

describe("sessionId", () => {
  let store: Store;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-01-01T12:00:00Z"));
    localStorage.clear();
    store = createStore(() => localStorage);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("stores the id with the last activity time under sl_s", () => {
    const id = sessionId(store, Date.now());
    expect(localStorage.getItem("sl_s")).toBe(`${id}.${Date.now()}`);
  });

  it("keeps the session while activity continues, even past 30 minutes in total", () => {
    const id = sessionId(store, Date.now());
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(20 * 60 * 1000);
      expect(sessionId(store, Date.now())).toBe(id);
    }
  });

  it("keeps the session at exactly 30 minutes idle", () => {
    const id = sessionId(store, Date.now());
    vi.advanceTimersByTime(SESSION_IDLE_MS);
    expect(sessionId(store, Date.now())).toBe(id);
  });

  it("rotates after more than 30 minutes of inactivity", () => {
    const id = sessionId(store, Date.now());
    vi.advanceTimersByTime(SESSION_IDLE_MS + 1);
    const next = sessionId(store, Date.now());
    expect(next).not.toBe(id);
    expect(localStorage.getItem("sl_s")).toBe(`${next}.${Date.now()}`);
    // The new session then continues as normal.
    vi.advanceTimersByTime(60 * 1000);
    expect(sessionId(store, Date.now())).toBe(next);
  });

  it("starts a new session when the stored value is garbage", () => {
    localStorage.setItem("sl_s", "nonsense");
    const id = sessionId(store, Date.now());
    expect(id).not.toBe("nonsense");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("rotates in memory too when storage throws", () => {
    const memOnly = createStore(() => {
      throw new Error("blocked");
    });
    const id = sessionId(memOnly, Date.now());
    vi.advanceTimersByTime(10 * 60 * 1000);
    expect(sessionId(memOnly, Date.now())).toBe(id);
    vi.advanceTimersByTime(31 * 60 * 1000);
    expect(sessionId(memOnly, Date.now())).not.toBe(id);
  });
});
