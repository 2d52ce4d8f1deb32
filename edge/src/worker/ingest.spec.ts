import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { LIMITS } from "../index.ts";
import { batch, callWorker, ingestRequest, pageview, parseNdjson } from "./test-support.ts";

const CLIENT_IP = "203.0.113.77";
const FORWARDED_IP = "198.51.100.9";

describe("POST /sl/e", () => {
  it("runs the core and puts the rows on the queue before answering 204", async () => {
    const event = pageview("https://shop.example/cart?utm_source=news&secret=1", {
      r: "https://www.google.com/search?q=x",
      p: { plan: "pro", seats: 3 },
    });
    const { response, sent } = await callWorker(
      ingestRequest(batch("shop.example", [event]), {
        origin: "https://shop.example",
        "cf-connecting-ip": CLIENT_IP,
      }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(sent).toHaveLength(1);
    const rows = parseNdjson(sent[0]!);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      event_id: event.i,
      site_id: "shop.example",
      name: "pageview",
      hostname: "shop.example",
      pathname: "/cart",
      query: "utm_source=news",
      referrer_domain: "google.com",
      utm_source: "news",
      props: { plan: "pro", seats: "3" },
      tracker_version: "1.0.0",
    });
    expect(rows[0]!.visitor_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("takes geo only from request.cf, never from client headers", async () => {
    const event = pageview("https://shop.example/");
    const { response, sent } = await callWorker(
      ingestRequest(
        batch("shop.example", [event]),
        { "cf-ipcountry": "US", "x-geo-city": "Nowhere", "cf-connecting-ip": CLIENT_IP },
        { cf: { country: "FR", region: "Île-de-France", city: "Paris" } },
      ),
    );
    expect(response.status).toBe(204);
    expect(parseNdjson(sent[0]!)[0]).toMatchObject({
      country: "FR",
      region: "Île-de-France",
      city: "Paris",
    });
  });

  it("never puts the client IP (CF-Connecting-IP or X-Forwarded-For) in a queued row", async () => {
    const events = [pageview("https://shop.example/a"), pageview("https://shop.example/b")];
    const { response, sent } = await callWorker(
      ingestRequest(batch("shop.example", events), {
        "cf-connecting-ip": CLIENT_IP,
        "x-forwarded-for": FORWARDED_IP,
        "x-real-ip": FORWARDED_IP,
      }),
    );
    expect(response.status).toBe(204);
    const text = sent.join("");
    expect(parseNdjson(text)).toHaveLength(2);
    expect(text).not.toContain(CLIENT_IP);
    expect(text).not.toContain(FORWARDED_IP);
    expect(text).not.toContain("203.0.113");
  });

  it("derives the cookieless visitor id from CF-Connecting-IP, ignoring X-Forwarded-For", async () => {
    const send = async (headers: Record<string, string>) => {
      const { sent } = await callWorker(
        ingestRequest(batch("shop.example", [pageview("https://shop.example/")]), headers),
      );
      return parseNdjson(sent[0]!)[0]!.visitor_id;
    };
    const a = await send({ "cf-connecting-ip": CLIENT_IP, "x-forwarded-for": "192.0.2.1" });
    const b = await send({ "cf-connecting-ip": CLIENT_IP, "x-forwarded-for": "192.0.2.2" });
    const c = await send({ "cf-connecting-ip": "203.0.113.78", "x-forwarded-for": "192.0.2.1" });
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it("flags crawlers with isbot inside workerd, and never a phone for its brand", async () => {
    const deviceOf = async (userAgent: string) => {
      const { sent } = await callWorker(
        ingestRequest(batch("shop.example", [pageview("https://shop.example/")]), {
          "user-agent": userAgent,
        }),
      );
      return parseNdjson(sent[0]!)[0]!;
    };
    // Missed by the hand-written pattern isbot replaced.
    expect(await deviceOf("Mozilla/5.0 (compatible; Google-InspectionTool/1.0)")).toMatchObject({
      device: "bot",
      is_bot: 1,
    });
    expect(
      await deviceOf(
        "Mozilla/5.0 (Linux; Android 13; CUBOT P80 Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/139.0.7258.143 Mobile Safari/537.36",
      ),
    ).toMatchObject({ device: "mobile", is_bot: 0 });
  });

  it("keeps the good events of a partly bad batch", async () => {
    const good = pageview("https://shop.example/ok");
    const { response, sent } = await callWorker(
      ingestRequest(
        batch("shop.example", [good, { ...pageview("https://shop.example/"), n: "bad name!" }]),
      ),
    );
    expect(response.status).toBe(204);
    expect(parseNdjson(sent.join("")).map((row) => row.event_id)).toEqual([good.i]);
  });

  it.each([
    ["not JSON", "{nope", "MALFORMED_BODY"],
    [
      "a truncated batch",
      batch("shop.example", [pageview("https://shop.example/")]).slice(0, 40),
      "MALFORMED_BODY",
    ],
    ["a wrong envelope", JSON.stringify({ s: "shop.example", e: "x" }), "INVALID_BATCH"],
    ["unknown keys", JSON.stringify({ s: "shop.example", e: [], z: 1 }), "INVALID_BATCH"],
    ["no valid event", batch("shop.example", [{ i: "short", n: "pageview" }]), "NO_VALID_EVENTS"],
  ])("answers 400 for %s and queues nothing", async (_what, body, code) => {
    const { response, sent } = await callWorker(ingestRequest(body));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 400, code });
    expect(sent).toEqual([]);
  });

  it("answers 400 for a body that is not UTF-8", async () => {
    const { response, sent } = await callWorker(
      ingestRequest(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "MALFORMED_BODY" });
    expect(sent).toEqual([]);
  });

  it("answers 413 from Content-Length before reading the body", async () => {
    const body = "x".repeat(LIMITS.bodyBytes + 1);
    const { response, sent } = await callWorker(ingestRequest(body));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      status: 413,
      code: "BODY_TOO_LARGE",
      error: `body is larger than ${LIMITS.bodyBytes} bytes`,
    });
    expect(sent).toEqual([]);
  });

  it("answers 413 for a streamed body without Content-Length once it grows too large", async () => {
    const chunk = new TextEncoder().encode("y".repeat(16 * 1024));
    let pushed = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pushed++ < 10) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const request = ingestRequest(stream);
    expect(request.headers.get("content-length")).toBeNull();
    const { response, sent } = await callWorker(request);
    expect(response.status).toBe(413);
    expect(sent).toEqual([]);
  });

  it("answers 403 for an unknown site and for a foreign origin", async () => {
    const unknown = await callWorker(
      ingestRequest(batch("nope.example", [pageview("https://nope.example/")])),
    );
    expect(unknown.response.status).toBe(403);
    expect(await unknown.response.json()).toMatchObject({ status: 403, code: "UNKNOWN_SITE" });
    expect(unknown.sent).toEqual([]);

    const foreign = await callWorker(
      ingestRequest(batch("shop.example", [pageview("https://shop.example/")]), {
        origin: "https://evil.example",
      }),
    );
    expect(foreign.response.status).toBe(403);
    expect(await foreign.response.json()).toMatchObject({ code: "ORIGIN_NOT_ALLOWED" });
    expect(foreign.sent).toEqual([]);
  });

  it("accepts a site's other domains and subdomains as origins", async () => {
    const { response } = await callWorker(
      ingestRequest(batch("blog.example", [pageview("https://www.news.example/post")]), {
        origin: "https://www.news.example",
      }),
    );
    expect(response.status).toBe(204);
  });

  it("answers 503 (not 204) when the queue refuses the rows", async () => {
    const failing: Queue<string> = {
      send: () => Promise.reject(new Error("queue down")),
      sendBatch: () => Promise.reject(new Error("queue down")),
      metrics: () => Promise.reject(new Error("queue down")),
    };
    const { response } = await callWorker(
      ingestRequest(batch("shop.example", [pageview("https://shop.example/")])),
      { EVENTS: failing },
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: "QUEUE_UNAVAILABLE" });
  });

  it("answers the CORS preflight and refuses other methods", async () => {
    const preflight = await callWorker(
      new Request("https://shop.example/sl/e", {
        method: "OPTIONS",
        headers: { origin: "https://shop.example" },
      }),
    );
    expect(preflight.response.status).toBe(204);
    expect(preflight.response.headers.get("access-control-allow-methods")).toBe("POST");
    const get = await callWorker(new Request("https://shop.example/sl/e"));
    expect(get.response.status).toBe(405);
    expect(await get.response.json()).toMatchObject({ code: "METHOD_NOT_ALLOWED" });
  });

  it("mounts every route under BASE_PATH", async () => {
    const body = batch("shop.example", [pageview("https://shop.example/")]);
    const moved = await callWorker(
      new Request("https://shop.example/analytics/e", { method: "POST", body }),
      { BASE_PATH: "/analytics/" },
    );
    expect(moved.response.status).toBe(204);
    const old = await callWorker(
      new Request("https://shop.example/sl/e", { method: "POST", body }),
      {
        BASE_PATH: "/analytics",
      },
    );
    expect(old.response.status).toBe(404);
    expect(await old.response.json()).toMatchObject({ status: 404, code: "NOT_FOUND" });
  });
});

describe("privacy signals and rate limits", () => {
  const tracked = () =>
    batch("shop.example", [
      pageview("https://shop.example/", { v: "visitor-from-tracker", x: "session-1" }),
    ]);

  it("uses the cookieless daily id instead of the tracker's ids for Sec-GPC / DNT", async () => {
    const plain = await callWorker(
      ingestRequest(tracked(), { "cf-connecting-ip": "203.0.113.60" }),
    );
    expect(parseNdjson(plain.sent[0]!)[0]!.visitor_id).toBe("visitor-from-tracker");
    const signals: Record<string, string>[] = [{ "sec-gpc": "1" }, { dnt: "1" }];
    for (const header of signals) {
      const { sent } = await callWorker(
        ingestRequest(tracked(), { "cf-connecting-ip": "203.0.113.60", ...header }),
      );
      const row = parseNdjson(sent[0]!)[0]!;
      expect(row.visitor_id).not.toBe("visitor-from-tracker");
      expect(row.visitor_id).toMatch(/^[0-9a-f]{32}$/);
    }
    const ignored = await callWorker(ingestRequest(tracked(), { "sec-gpc": "1" }), {
      HONOR_PRIVACY_SIGNALS: "false",
    });
    expect(parseNdjson(ignored.sent[0]!)[0]!.visitor_id).toBe("visitor-from-tracker");
    const cookieless = await callWorker(ingestRequest(tracked()), { COOKIELESS: "true" });
    expect(parseNdjson(cookieless.sent[0]!)[0]!.visitor_id).not.toBe("visitor-from-tracker");
  });

  it("answers 429 with Retry-After once a client is over its limit, keyed by a salted IP hash", async () => {
    const limiter = env.RATE_LIMIT_TEST;
    const keys: string[] = [];
    const spy: RateLimit = {
      limit: (options) => {
        keys.push(options.key);
        return limiter.limit(options);
      },
    };
    const from = (ip: string) =>
      callWorker(ingestRequest(tracked(), { "cf-connecting-ip": ip }), { RATE_LIMIT_IP: spy });
    expect((await from("203.0.113.90")).response.status).toBe(204);
    expect((await from("203.0.113.90")).response.status).toBe(204);
    const limited = await from("203.0.113.90");
    expect(limited.response.status).toBe(429);
    expect(limited.response.headers.get("retry-after")).toBe("60");
    expect(await limited.response.json()).toEqual({
      status: 429,
      code: "RATE_LIMITED",
      error: "too many requests from this client",
    });
    expect(limited.sent).toEqual([]);
    expect((await from("203.0.113.91")).response.status).toBe(204);
    expect(keys.join(" ")).not.toContain("203.0.113");
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it("answers 429 once a site is over its limit", async () => {
    const send = () =>
      callWorker(ingestRequest(batch("blog.example", [pageview("https://blog.example/")])), {
        RATE_LIMIT_SITE: env.RATE_LIMIT_TEST,
        RATE_LIMIT_PERIOD_SECONDS: "10",
      });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send()).response);
    expect(statuses.map((r) => r.status)).toEqual([204, 204, 429]);
    expect(statuses[2]!.headers.get("retry-after")).toBe("10");
    expect(await statuses[2]!.json()).toMatchObject({ error: "too many events for this site" });
  });
});

describe("logs", () => {
  it("never contain the client IP, whatever fails", async () => {
    const ip = "203.0.113.123";
    const lines: string[] = [];
    const record = (...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    };
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(record),
    );
    try {
      const headers = { "cf-connecting-ip": ip, "x-forwarded-for": ip };
      const body = batch("shop.example", [pageview("https://shop.example/")]);
      const down: Queue<string> = {
        send: () => Promise.reject(new Error("queue down")),
        sendBatch: () => Promise.reject(new Error("queue down")),
        metrics: () => Promise.reject(new Error("queue down")),
      };
      await callWorker(ingestRequest(body, headers), { EVENTS: down });
      await callWorker(ingestRequest(body, headers), { SITES_JSON: "broken" });
      await callWorker(
        new Request("https://shop.example/sl/p.gif?s=nope.example&u=https://nope.example/", {
          headers,
        }),
      );
      expect(lines.length).toBeGreaterThanOrEqual(3);
      expect(lines.join("\n")).not.toContain(ip);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
