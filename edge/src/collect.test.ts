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
      ts: "2026-11-23 11:59:59.000",
      received_at: "2026-11-23 12:00:00.000",
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

  it("dates each event by its own time, corrected for the batch's clock skew", async () => {
    const HOUR = 3_600_000;
    const DAY = 24 * HOUR;
    const times = async (body: Record<string, unknown>) => {
      const result = await collect(input({ s: "example.com", ...body }), deps);
      if (!result.ok) throw new Error(result.message);
      return result.rows.map((r) => [r.ts, r.received_at, r.client_ts]);
    };
    // Queued offline for 3 hours on a right clock: it lands in its own hour, not at receipt.
    expect(await times({ c: NOW - 40, e: [event({ t: NOW - 3 * HOUR })] })).toEqual([
      ["2026-11-23 09:00:00.000", "2026-11-23 12:00:00.000", "2026-11-23 09:00:00.000"],
    ]);
    // A clock two days behind: the batch's send time shows the skew, and the event lands at the
    // right time, though its own timestamp alone would be refused as too old.
    expect(
      await times({ c: NOW - 2 * DAY - 40, e: [event({ t: NOW - 2 * DAY - 3 * HOUR })] }),
    ).toEqual([["2026-11-23 09:00:00.040", "2026-11-23 12:00:00.000", "2026-11-21 09:00:00.000"]]);
    // A clock a day ahead, likewise.
    expect(await times({ c: NOW + DAY, e: [event({ t: NOW + DAY - 5000 })] })).toEqual([
      ["2026-11-23 11:59:55.000", "2026-11-23 12:00:00.000", "2026-11-24 11:59:55.000"],
    ]);
    // Without a send time (older trackers, the pixel) the client time stands, as before.
    expect(await times({ e: [event({ t: NOW - 3 * HOUR })] })).toEqual([
      ["2026-11-23 09:00:00.000", "2026-11-23 12:00:00.000", "2026-11-23 09:00:00.000"],
    ]);
  });

  it("gives every copy of a retried event the same time, whenever each copy arrives", async () => {
    // Made at 23:59:57, first sent at 23:59:58 (its 204 lost), resent at 00:00:03.
    const made = Date.UTC(2026, 2, 31, 23, 59, 57);
    const copy = async (sentAt: number, now: number) => {
      const result = await collect(
        input({ s: "example.com", c: sentAt, e: [event({ t: made })] }, { now }),
        deps,
      );
      if (!result.ok) throw new Error(result.message);
      return result.rows[0]?.ts;
    };
    const first = await copy(made + 1000, made + 1180);
    const retry = await copy(made + 6000, made + 6350);
    expect(first).toBe("2026-03-31 23:59:57.000");
    expect(retry).toBe(first);
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

  it("uses the cookieless daily id under a privacy signal or in cookieless mode", async () => {
    const body = { s: "example.com", e: [event()] };
    const plain = await collect(input(body), deps);
    const gpc = await collect(input(body, { privacySignal: true }), deps);
    const cookieless = await collect(input(body), { ...deps, cookieless: true });
    if (!plain.ok || !gpc.ok || !cookieless.ok) throw new Error("expected accepted batches");
    expect(plain.rows[0]).toMatchObject({ visitor_id: "visitor-1", session_id: "session-1" });
    expect(gpc.rows[0]?.visitor_id).toMatch(/^[0-9a-f]{32}$/);
    expect(gpc.rows[0]?.session_id).toBe(gpc.rows[0]?.visitor_id);
    expect(cookieless.rows[0]?.visitor_id).toBe(gpc.rows[0]?.visitor_id);
  });

  it("removes emails and tokens from paths, kept query values, referrers and properties", async () => {
    const result = await collect(
      input(
        {
          s: "example.com",
          e: [
            event({
              u: "https://example.com/account/jane@doe.io/reset/d41d8cd98f00b204e9800998ecf8427e?utm_source=jane%40doe.io&page=2",
              r: "https://mail.example.org/u/bob@corp.test/view",
              w: "jane@doe.io",
              p: { contact: "write to jane@doe.io", key: "sk_live_51HxYzAbCdEf0123456789", n: 3 },
            }),
          ],
        },
        {},
      ),
      { ...deps, extraQueryKeys: new Set(["page"]) },
    );
    if (!result.ok) throw new Error("expected accepted batch");
    const row = result.rows[0];
    expect(row).toMatchObject({
      pathname: "/account/[email]/reset/[token]",
      query: "utm_source=%5Bemail%5D&page=2",
      utm_source: "[email]",
      referrer: "https://mail.example.org/u/[email]/view",
      user_id: "",
      props: { contact: "write to [email]", key: "[token]", n: "3" },
    });
    expect(JSON.stringify(row)).not.toMatch(/jane|bob@|d41d8cd9|sk_live/);
  });

  it("treats a referrer from any of the site's domains as internal", async () => {
    const multi: CollectDeps = {
      ...deps,
      sites: { get: (id) => ({ id, domains: ["example.com", "example-shop.test"] }) },
    };
    const result = await collect(
      input({
        s: "example.com",
        e: [
          event({ i: "same-0001", u: "https://example.com/", r: "https://blog.example.com/p" }),
          event({ i: "same-0002", u: "https://example.com/", r: "https://example-shop.test/c" }),
          event({ i: "other-001", u: "https://example.com/", r: "https://example.org/" }),
        ],
      }),
      multi,
    );
    if (!result.ok) throw new Error("expected accepted batch");
    const byId = Object.fromEntries(result.rows.map((r) => [r.event_id, r]));
    expect(byId["same-0001"]).toMatchObject({
      referrer: "",
      referrer_domain: "",
      channel: "direct",
    });
    expect(byId["same-0002"]).toMatchObject({ referrer: "", channel: "direct" });
    expect(byId["other-001"]).toMatchObject({
      referrer_domain: "example.org",
      channel: "referral",
    });
  });

  it("takes geo from the platform when given, else from the lookup, and cleans it", async () => {
    const body = { s: "example.com", e: [event()] };
    const looked = await collect(input(body), {
      ...deps,
      geo: (ip) => (ip === "203.0.113.9" ? { country: "nl", region: "", city: "" } : undefined),
    });
    const fromCf = await collect(
      input(body, { geo: { country: "DE", region: "Berlin", city: "Berlin" } }),
      { ...deps, geo: () => ({ country: "NL", region: "", city: "" }) },
    );
    const unknown = await collect(input(body, { geo: { country: "XX" } }), deps);
    const throwing = await collect(input(body), {
      ...deps,
      geo: () => {
        throw new Error("broken database");
      },
    });
    if (!looked.ok || !fromCf.ok || !unknown.ok || !throwing.ok) throw new Error("expected rows");
    expect(looked.rows[0]).toMatchObject({ country: "NL", region: "", city: "" });
    expect(fromCf.rows[0]).toMatchObject({ country: "DE", region: "Berlin", city: "Berlin" });
    expect(unknown.rows[0]?.country).toBe("");
    expect(throwing.rows[0]?.country).toBe("");
  });

  it("answers 400 to bodies nested deeper than the wire format allows, before parsing", async () => {
    const deep = await collect(input(`{"s":"example.com","e":[{"p":{"a":[[1]]}}]}`), deps);
    expect(deep).toMatchObject({ ok: false, status: 400, code: "TOO_DEEP" });
    const nestedProp = await collect(
      input({ s: "example.com", e: [event({ p: { nested: { a: 1 } } })] }),
      deps,
    );
    expect(nestedProp).toMatchObject({ ok: false, code: "TOO_DEEP" });
    const wrongType = await collect(
      input({ s: "example.com", e: [event({ p: { empty: null } })] }),
      deps,
    );
    expect(wrongType).toMatchObject({ ok: false, code: "NO_VALID_EVENTS" });
    expect(wrongType.rejected).toEqual({ invalid_props: 1 });
  });

  it("uses client hints and flags headless brands as bots", async () => {
    const reduced =
      "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
    const body = { s: "example.com", e: [event()] };
    const tablet = await collect(
      input(body, { userAgent: reduced, clientHints: { mobile: "?0", platform: '"Android"' } }),
      deps,
    );
    const headless = await collect(
      input(body, { clientHints: { brands: '"HeadlessChrome";v="140"' } }),
      deps,
    );
    if (!tablet.ok || !headless.ok) throw new Error("expected rows");
    expect(tablet.rows[0]).toMatchObject({ os: "Android", device: "tablet", is_bot: 0 });
    expect(headless.rows[0]).toMatchObject({ device: "bot", is_bot: 1 });
  });

  it("gives each event of a batch the page, referrer and channel of its own URLs", async () => {
    const events = [
      event({ i: "evt-place-1", u: "https://example.com/a?utm_medium=cpc", r: "" }),
      event({ i: "evt-place-2", u: "https://example.com/b", r: "https://www.google.com/" }),
      event({ i: "evt-place-3", u: "https://example.com/a?utm_medium=cpc", r: "" }),
      // A "url + newline + referrer" key would be the same for these two (the URL parser drops
      // newlines, so all four strings are usable).
      event({ i: "evt-place-4", u: "https://example.com/x\nhttps://t.co/", r: "z" }),
      event({ i: "evt-place-5", u: "https://example.com/x", r: "https://t.co/\nz" }),
      event({ i: "evt-place-6", u: "https://example.com/#/settings", h: 1 }),
      event({ i: "evt-place-7", u: "https://example.com/#/settings" }),
    ];
    const result = await collect(input({ s: "example.com", e: events }), deps);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const byId = Object.fromEntries(result.rows.map((row) => [row.event_id, row]));
    expect(byId["evt-place-1"]).toMatchObject({ pathname: "/a", channel: "paid_search" });
    expect(byId["evt-place-2"]).toMatchObject({ pathname: "/b", channel: "organic_search" });
    expect(byId["evt-place-3"]).toMatchObject({ pathname: "/a", channel: "paid_search" });
    expect(byId["evt-place-4"]).toMatchObject({ referrer_domain: "", channel: "direct" });
    expect(byId["evt-place-5"]).toMatchObject({
      pathname: "/x",
      referrer_domain: "t.co",
      channel: "organic_social",
    });
    expect(byId["evt-place-6"]?.pathname).toBe("/settings");
    expect(byId["evt-place-7"]?.pathname).toBe("/");
  });

  it("uses the injected HMAC for the cookieless visitor id, with the same result", async () => {
    const body = { s: "example.com", e: [event({ v: undefined, x: undefined })] };
    const webCrypto = await collect(input(body), deps);
    const calls: string[] = [];
    const injected = await collect(input(body), {
      ...deps,
      hmac: async (key, message) => {
        calls.push(message);
        const { hmacHex } = await import("./hash.ts");
        return hmacHex(key, message);
      },
    });
    expect(calls).toHaveLength(1);
    expect(webCrypto.ok && injected.ok).toBe(true);
    if (!webCrypto.ok || !injected.ok) return;
    expect(injected.rows[0]?.visitor_id).toBe(webCrypto.rows[0]?.visitor_id);
    expect(injected.rows[0]?.visitor_id).toMatch(/^[0-9a-f]{32}$/);
  });
});
