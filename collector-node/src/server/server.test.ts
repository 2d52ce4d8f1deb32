import { request as httpRequest } from "node:http";
import { gunzipSync } from "node:zlib";
import { type EventRow, ndjsonLines } from "@sightline/edge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PIXEL_GIF } from "../pixel.ts";
import { FIREFOX, METRICS_AUTH, pageview, testCollector } from "./testing.ts";

const CLIENT_IP = "81.2.69.142"; // a public address in Great Britain (DB-IP)
const TOKEN = "internal-token-0123456789abcdef0123456789";

let c: Awaited<ReturnType<typeof testCollector>>;
beforeAll(async () => {
  c = await testCollector({
    SIGHTLINE_SERVER_TRUSTED_PROXIES: "127.0.0.1",
    SIGHTLINE_COLLECTOR_INTERNAL_TOKEN: TOKEN,
    SIGHTLINE_COLLECTOR_EXTRA_QUERY_KEYS: "page",
  });
});
afterAll(() => c.close());

async function errorOf(res: Response): Promise<{ status: number; code: string; error: string }> {
  return (await res.json()) as { status: number; code: string; error: string };
}

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${c.base}${path}`, {
    method: "POST",
    body,
    headers: {
      "content-type": "text/plain;charset=UTF-8",
      "user-agent": FIREFOX,
      "x-forwarded-for": CLIENT_IP,
      ...headers,
    },
  });
}

describe("standalone collector", () => {
  it("answers 204 after the write, enriches the row and keeps no raw IP", async () => {
    const res = await post(
      "/e",
      JSON.stringify({
        s: "example.com",
        sv: "1",
        e: [pageview("srv-ok-0001", { u: "https://example.com/a?page=2&secret=1" })],
      }),
      { origin: "https://example.com" },
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://example.com");
    const row = c.spoolRows().find((r) => r.event_id === "srv-ok-0001");
    expect(row).toMatchObject({
      country: "GB",
      browser: "Firefox",
      device: "desktop",
      channel: "organic_social",
      query: "page=2",
      visitor_id: "visitor-1",
    });
    expect(c.spoolText()).not.toContain(CLIENT_IP);
    expect(c.logs.join("\n")).not.toContain(CLIENT_IP);
  });

  it("serves the same routes under /sl/", async () => {
    const res = await post(
      "/sl/e",
      JSON.stringify({ s: "example.com", e: [pageview("srv-sl-0001")] }),
    );
    expect(res.status).toBe(204);
    expect(c.spoolRows().some((r) => r.event_id === "srv-sl-0001")).toBe(true);
  });

  it("ignores the tracker's ids under Sec-GPC or DNT", async () => {
    for (const [id, header] of [
      ["srv-gpc-0001", { "sec-gpc": "1" }],
      ["srv-dnt-0001", { dnt: "1" }],
    ] as const) {
      const res = await post("/e", JSON.stringify({ s: "example.com", e: [pageview(id)] }), header);
      expect(res.status).toBe(204);
      const row = c.spoolRows().find((r) => r.event_id === id);
      expect(row?.visitor_id).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it("answers 400, 403 and 413 with a JSON error naming the problem, and writes nothing", async () => {
    const before = c.spoolText();
    const bad = await post("/e", "{oops");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      status: 400,
      code: "MALFORMED_BODY",
      error: "body is not valid JSON",
    });
    const unknown = await post(
      "/e",
      JSON.stringify({ s: "nope.test", e: [pageview("x-0000001")] }),
    );
    expect(unknown.status).toBe(403);
    const foreign = await post(
      "/e",
      JSON.stringify({ s: "example.com", e: [pageview("x-0000002")] }),
      { origin: "https://evil.test" },
    );
    expect((await errorOf(foreign)).code).toBe("ORIGIN_NOT_ALLOWED");
    const huge = await post("/e", "x".repeat(70_000));
    expect(huge.status).toBe(413);
    expect((await errorOf(huge)).error).toMatch(/larger than 65536 bytes/);
    expect(c.spoolText()).toBe(before);
  });

  it("counts bytes of a chunked body without Content-Length and answers 413", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${c.base}/e`, { method: "POST" }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      for (let i = 0; i < 20; i++) req.write("y".repeat(4096));
      req.end();
    });
    expect(status).toBe(413);
  });

  it("settles a request whose client goes away mid-body, and writes nothing of it", async () => {
    const before = c.spoolText();
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${c.base}/e`, { method: "POST" });
      req.on("error", () => resolve());
      req.write('{"s":"example.com","e":[{"i":"cut-0000001"');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    let metrics = "";
    for (let i = 0; i < 50 && !metrics.includes("BODY_INCOMPLETE"); i++) {
      await new Promise((r) => setTimeout(r, 20));
      metrics = await (await fetch(`${c.base}/metrics`, { headers: METRICS_AUTH })).text();
    }
    expect(metrics).toMatch(/batches_rejected_total\{code="BODY_INCOMPLETE"\} 1/);
    expect(c.spoolText()).toBe(before);
  });

  it("records p.gif hits and always answers the 1×1 GIF, never cached", async () => {
    const url = new URL(`${c.base}/p.gif`);
    url.searchParams.set("s", "example.com");
    url.searchParams.set("u", "https://example.com/newsletter/open");
    url.searchParams.set("i", "pixel-000001");
    const hit = await fetch(url, { headers: { "x-forwarded-for": CLIENT_IP } });
    expect(hit.status).toBe(200);
    expect(hit.headers.get("content-type")).toBe("image/gif");
    expect(hit.headers.get("cache-control")).toMatch(/no-store/);
    expect(Buffer.from(await hit.arrayBuffer())).toEqual(PIXEL_GIF);
    expect(c.spoolRows().find((r) => r.event_id === "pixel-000001")).toMatchObject({
      name: "pageview",
      pathname: "/newsletter/open",
      tracker_version: "pixel",
    });
    const before = c.spoolText();
    const broken = await fetch(`${c.base}/p.gif?s=unknown.test&u=https://x.test/`);
    expect(broken.status).toBe(200);
    expect(Buffer.from(await broken.arrayBuffer())).toEqual(PIXEL_GIF);
    const empty = await fetch(`${c.base}/p.gif`);
    expect(empty.status).toBe(200);
    expect(c.spoolText()).toBe(before);
  });

  it("serves s.js with brotli, gzip, an ETag and 304", async () => {
    const br = await fetch(`${c.base}/s.js`, { headers: { "accept-encoding": "br, gzip" } });
    expect(br.status).toBe(200);
    expect(br.headers.get("etag")).toMatch(/^"/);
    expect(await br.text()).toContain("sightline"); // fetch decodes br
    const gz = await new Promise<{ encoding: string; body: Buffer }>((resolve) => {
      httpRequest(`${c.base}/s.js`, { headers: { "accept-encoding": "gzip" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () =>
          resolve({
            encoding: String(res.headers["content-encoding"]),
            body: Buffer.concat(chunks),
          }),
        );
      }).end();
    });
    expect(gz.encoding).toBe("gzip");
    expect(gunzipSync(gz.body).toString()).toContain("sightline");
    const again = await fetch(`${c.base}/s.js`, {
      headers: { "if-none-match": br.headers.get("etag") ?? "" },
    });
    expect(again.status).toBe(304);
  });

  it("accepts edge NDJSON only with the bearer token, all lines or none", async () => {
    const good = c.spoolRows().find((r) => r.event_id === "srv-ok-0001");
    const line = (id: string) => JSON.stringify({ ...good, event_id: id });
    const noAuth = await post("/internal/ndjson", `${line("edge-0000001")}\n`);
    expect(noAuth.status).toBe(401);
    const wrong = await post("/internal/ndjson", `${line("edge-0000001")}\n`, {
      authorization: "Bearer nope",
    });
    expect(wrong.status).toBe(401);
    const auth = { authorization: `Bearer ${TOKEN}` };
    const before = c.spoolText();
    const badLine = JSON.stringify({ ...good, event_id: "edge-0000003", is_bot: 2 });
    const bad = await post(
      "/internal/ndjson",
      `${line("edge-0000001")}\n${line("edge-0000002")}\n${badLine}\n`,
      auth,
    );
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).error).toMatch(/^line 3: is_bot/);
    const extra = await post(
      "/internal/ndjson",
      `${JSON.stringify({ ...good, ip: "1.2.3.4" })}\n`,
      auth,
    );
    expect((await errorOf(extra)).error).toMatch(/^line 1: .*unknown column ip/);
    expect(c.spoolText()).toBe(before);
    const ok = await post(
      "/internal/ndjson",
      `${line("edge-0000001")}\n${line("edge-0000002")}\n`,
      auth,
    );
    expect(ok.status).toBe(204);
    const ids = c.spoolRows().map((r) => r.event_id);
    expect(ids).toContain("edge-0000001");
    expect(ids).toContain("edge-0000002");
    // The spool holds them as the row serializer writes them, whatever key order edge sent.
    const rows = ["edge-0000001", "edge-0000002"].map((id) => ({ ...good, event_id: id }));
    expect(c.spoolText()).toContain(ndjsonLines(rows as unknown as EventRow[]));
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(rows[0] ?? {}).reverse()));
    expect((await post("/internal/ndjson", `${reordered}\n`, auth)).status).toBe(204);
    expect(c.spoolText().endsWith(ndjsonLines(rows.slice(0, 1) as unknown as EventRow[]))).toBe(
      true,
    );
  });

  it("reports health and Prometheus metrics", async () => {
    const health = await fetch(`${c.base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", spool: "ok" });
    const metrics = await (await fetch(`${c.base}/metrics`, { headers: METRICS_AUTH })).text();
    expect(metrics).toMatch(/^sightline_collector_events_accepted_total [1-9]\d*$/m);
    expect(metrics).toMatch(
      /^sightline_collector_batches_rejected_total\{code="MALFORMED_BODY"\} 1$/m,
    );
    expect(metrics).toMatch(
      /^sightline_collector_requests_total\{route="\/e",status="204"\} \d+$/m,
    );
    expect(metrics).toMatch(/^sightline_collector_spool_bytes [1-9]\d*$/m);
    expect(metrics).toMatch(/^sightline_collector_received_bytes_total [1-9]\d*$/m);
    expect(metrics).not.toContain(CLIENT_IP);
  });

  it("serves metrics only with collector.metricsToken: 401 without it, 404 when none is set", async () => {
    expect((await fetch(`${c.base}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${c.base}/metrics`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain("sightline_collector");
    const off = await testCollector({ SIGHTLINE_COLLECTOR_METRICS_TOKEN: "" });
    try {
      expect((await fetch(`${off.base}/metrics`, { headers: METRICS_AUTH })).status).toBe(404);
    } finally {
      await off.close();
    }
  });

  it("answers 404 for unknown paths", async () => {
    expect((await fetch(`${c.base}/nope`)).status).toBe(404);
  });
});

describe("collector limits", () => {
  let limited: Awaited<ReturnType<typeof testCollector>>;
  beforeAll(async () => {
    limited = await testCollector({
      SIGHTLINE_COLLECTOR_IP_RATE_PER_SECOND: "0.5",
      SIGHTLINE_COLLECTOR_IP_BURST: "2",
    });
  });
  afterAll(() => limited.close());

  it("answers 429 with Retry-After per client, and spoofed forwarding headers do not help", async () => {
    const send = (id: string, xff: string) =>
      fetch(`${limited.base}/e`, {
        method: "POST",
        body: JSON.stringify({ s: "example.com", e: [pageview(id)] }),
        // 127.0.0.1 is not a trusted proxy here: X-Forwarded-For is ignored.
        headers: { "x-forwarded-for": xff, "user-agent": FIREFOX },
      });
    expect((await send("rl-0000001", "1.1.1.1")).status).toBe(204);
    expect((await send("rl-0000002", "2.2.2.2")).status).toBe(204);
    const third = await send("rl-0000003", "3.3.3.3");
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await errorOf(third)).code).toBe("RATE_LIMITED");
    expect(limited.spoolRows().map((r) => r.event_id)).toEqual(["rl-0000001", "rl-0000002"]);
    const metrics = await (
      await fetch(`${limited.base}/metrics`, { headers: METRICS_AUTH })
    ).text();
    expect(metrics).toMatch(/^sightline_collector_rate_limited_total\{scope="ip"\} 1$/m);
  });

  it("has no internal endpoint when no token is set", async () => {
    const res = await fetch(`${limited.base}/internal/ndjson`, { method: "POST", body: "{}\n" });
    expect(res.status).toBe(404);
  });
});

describe("collector site limit", () => {
  let limited: Awaited<ReturnType<typeof testCollector>>;
  beforeAll(async () => {
    limited = await testCollector({
      SIGHTLINE_COLLECTOR_SITE_RATE_PER_SECOND: "0.1",
      SIGHTLINE_COLLECTOR_SITE_BURST: "3",
    });
  });
  afterAll(() => limited.close());

  it("answers 429 once a site has used its events, writing none of the refused batch", async () => {
    const send = (ids: string[]) =>
      fetch(`${limited.base}/e`, {
        method: "POST",
        body: JSON.stringify({ s: "example.com", e: ids.map((id) => pageview(id)) }),
        headers: { "user-agent": FIREFOX },
      });
    expect((await send(["site-000001", "site-000002"])).status).toBe(204);
    const over = await send(["site-000003", "site-000004"]);
    expect(over.status).toBe(429);
    expect(over.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(limited.spoolRows().map((r) => r.event_id)).toEqual(["site-000001", "site-000002"]);
  });
});
