import { describe, expect, it } from "vitest";
import { type CollectDeps, type CollectInput, collect } from "./collect.ts";
import { LIMITS } from "./limits.ts";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0, 0);
const CHROME =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

const deps: CollectDeps = {
  salts: { saltFor: async (day) => `salt-${day}` },
  sites: {
    get: (id) => (id === "example.com" ? { id, domains: ["example.com"] } : undefined),
  },
};

function event(overrides: Record<string, unknown> = {}) {
  return {
    i: "evt-00000001",
    n: "pageview",
    t: NOW - 1000,
    u: "https://www.example.com/pricing?utm_source=news&email=a@b.c&ref=hn#top",
    r: "https://news.ycombinator.com/item?id=1",
    v: "visitor-1",
    x: "session-1",
    l: "en-GB",
    ...overrides,
  };
}

function input(body: unknown, overrides: Partial<CollectInput> = {}): CollectInput {
  return {
    body: typeof body === "string" ? body : JSON.stringify(body),
    ip: "203.0.113.9",
    userAgent: CHROME,
    origin: "https://www.example.com",
    now: NOW,
    ...overrides,
  };
}

describe("collect", () => {
  it("turns a valid event into a row with parsed page, referrer, device and times", async () => {
    const result = await collect(input({ s: "example.com", sv: "1", e: [event()] }), deps);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({
      event_id: "evt-00000001",
      site_id: "example.com",
      ts: "2026-11-23 12:00:00.000",
      client_ts: "2026-11-23 11:59:59.000",
      name: "pageview",
      visitor_id: "visitor-1",
      session_id: "session-1",
      hostname: "www.example.com",
      pathname: "/pricing",
      query: "utm_source=news&ref=hn",
      referrer: "https://news.ycombinator.com/item",
      referrer_domain: "news.ycombinator.com",
      utm_source: "news",
      browser: "Chrome",
      os: "Linux",
      device: "desktop",
      is_bot: 0,
      language: "en-GB",
      tracker_version: "1",
    });
  });

  it("answers 400 for a body that is not JSON and keeps nothing", async () => {
    const result = await collect(input("{not json"), deps);
    expect(result).toMatchObject({ ok: false, status: 400, code: "MALFORMED_BODY" });
  });

  it("answers 400 naming the field when the envelope is wrong", async () => {
    const result = await collect(input({ s: "example.com", e: "nope" }), deps);
    expect(result).toMatchObject({ ok: false, status: 400, code: "INVALID_BATCH" });
    if (!result.ok) expect(result.message).toMatch(/^e:/);
  });

  it("keeps the good events of a partly bad batch and counts the rest by reason", async () => {
    const result = await collect(
      input({
        s: "example.com",
        e: [
          event({ i: "good-event-1" }),
          event({ n: "bad name!" }),
          event({ u: "javascript:alert(1)" }),
          event({ t: NOW - 3 * 24 * 3600 * 1000 }),
          event({ extra: 1 }),
        ],
      }),
      deps,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rows.map((r) => r.event_id)).toEqual(["good-event-1"]);
    expect(result.rejected).toEqual({
      invalid_name: 1,
      invalid_url: 1,
      timestamp_out_of_range: 1,
      invalid_event: 1,
    });
  });

  it("answers 400 when no event is valid", async () => {
    const result = await collect(input({ s: "example.com", e: [event({ n: "" })] }), deps);
    expect(result).toMatchObject({ ok: false, status: 400, code: "NO_VALID_EVENTS" });
  });

  it("answers 413 for an oversized body", async () => {
    const result = await collect(input("x".repeat(LIMITS.bodyBytes + 1)), deps);
    expect(result).toMatchObject({ ok: false, status: 413 });
  });

  it("answers 403 for an unknown site or a foreign origin", async () => {
    const unknown = await collect(input({ s: "other.org", e: [event()] }), deps);
    expect(unknown).toMatchObject({ ok: false, status: 403, code: "UNKNOWN_SITE" });
    const foreign = await collect(
      input({ s: "example.com", e: [event()] }, { origin: "https://evil.test" }),
      deps,
    );
    expect(foreign).toMatchObject({ ok: false, status: 403, code: "ORIGIN_NOT_ALLOWED" });
  });

  it("gives a daily-salted visitor id when the browser sends none", async () => {
    const body = { s: "example.com", e: [event({ v: undefined, x: undefined })] };
    const a = await collect(input(body), deps);
    const b = await collect(input(body), deps);
    const nextDay = await collect(
      input(
        { s: "example.com", e: [event({ v: undefined, t: NOW + 86_400_000 })] },
        { now: NOW + 86_400_000 },
      ),
      deps,
    );
    if (!a.ok || !b.ok || !nextDay.ok) throw new Error("expected accepted batches");
    expect(a.rows[0]?.visitor_id).toMatch(/^[0-9a-f]{32}$/);
    expect(a.rows[0]?.visitor_id).toBe(b.rows[0]?.visitor_id);
    expect(nextDay.rows[0]?.visitor_id).not.toBe(a.rows[0]?.visitor_id);
    expect(JSON.stringify(a.rows)).not.toContain("203.0.113.9");
  });

  it("flags bots instead of dropping them", async () => {
    const result = await collect(
      input(
        { s: "example.com", e: [event()] },
        { userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" },
      ),
      deps,
    );
    if (!result.ok) throw new Error("expected accepted batch");
    expect(result.rows[0]).toMatchObject({ is_bot: 1, device: "bot" });
  });

  it("keeps revenue, engagement and hash routes, and flags automation as a bot", async () => {
    const result = await collect(
      input({
        s: "example.com",
        e: [
          event({ i: "rev-000001", n: "purchase", m: { a: 49.9, c: "EUR" } }),
          event({ i: "eng-000001", n: "engagement", em: 12_345, sd: 75 }),
          event({ i: "hash-00001", u: "https://example.com/app/#/settings/profile?tab=2", h: 1 }),
          event({ i: "auto-00001", a: 1 }),
          event({ i: "badcur-001", n: "purchase", m: { a: 1, c: "euro" } }),
        ],
      }),
      deps,
    );
    if (!result.ok) throw new Error("expected accepted batch");
    const byId = Object.fromEntries(result.rows.map((r) => [r.event_id, r]));
    expect(byId["rev-000001"]).toMatchObject({ revenue: 49.9, currency: "EUR" });
    expect(byId["eng-000001"]).toMatchObject({ engaged_ms: 12_345, scroll_depth: 75, revenue: 0 });
    expect(byId["hash-00001"]?.pathname).toBe("/settings/profile");
    expect(byId["auto-00001"]).toMatchObject({ is_bot: 1, device: "bot" });
    expect(result.rejected).toEqual({ invalid_revenue: 1 });
  });
});
