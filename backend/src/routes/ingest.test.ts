import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminEnv, login, pageview, testStack } from "../testing/stack.ts";

let stack: Awaited<ReturnType<typeof testStack>>;
let spoolDir: string;
const METRICS_TOKEN = "all-in-one-metrics-token-0123456789";

beforeAll(async () => {
  // The shipper is off so the spool shows exactly what ingest wrote.
  stack = await testStack({
    ...adminEnv(),
    SIGHTLINE_SHIPPER_ENABLED: "false",
    SIGHTLINE_COLLECTOR_METRICS_TOKEN: METRICS_TOKEN,
  });
  spoolDir = join(stack.dataDir, "spool");
  const token = await login(stack);
  const created = await stack.app.inject({
    method: "POST",
    url: "/api/v1/sites",
    headers: { authorization: `Bearer ${token}` },
    payload: { id: "example.com", domains: ["example.com"] },
  });
  expect(created.statusCode).toBe(201);
});
afterAll(() => stack.close());

function spoolLines(): Record<string, unknown>[] {
  return readdirSync(spoolDir)
    .filter((f) => f.endsWith(".ndjson"))
    .flatMap((f) => readFileSync(join(spoolDir, f), "utf8").split("\n").filter(Boolean))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const post = (body: string, headers: Record<string, string> = {}) =>
  stack.app.inject({
    method: "POST",
    url: "/sl/e",
    payload: body,
    headers: {
      "content-type": "text/plain;charset=UTF-8",
      "user-agent": "Mozilla/5.0 Firefox/140.0",
      ...headers,
    },
    remoteAddress: "198.51.100.23",
  });

describe("POST /sl/e", () => {
  it("answers 400 to a malformed body and writes nothing", async () => {
    const before = spoolLines().length;
    const res = await post("{oops");
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      status: 400,
      code: "MALFORMED_BODY",
      error: "body is not valid JSON",
    });
    expect(spoolLines()).toHaveLength(before);
  });

  it("answers 204 after the event is in the spool, with no raw IP anywhere", async () => {
    const res = await post(
      JSON.stringify({ s: "example.com", sv: "1", e: [pageview("ingest-ok-1")] }),
      {
        origin: "https://example.com",
      },
    );
    expect(res.statusCode).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe("https://example.com");
    expect(res.headers["access-control-expose-headers"]).toBe("Retry-After");
    const line = spoolLines().find((l) => l.event_id === "ingest-ok-1");
    expect(line).toMatchObject({ site_id: "example.com", name: "pageview", browser: "Firefox" });
    const spoolText = readdirSync(spoolDir)
      .filter((f) => f.endsWith(".ndjson"))
      .map((f) => readFileSync(join(spoolDir, f), "utf8"))
      .join("");
    expect(spoolText).not.toContain("198.51.100.23");
  });

  it("answers 403 for an unknown site and 413 for an oversized body", async () => {
    const unknown = await post(JSON.stringify({ s: "nope.test", e: [pageview("x-00000001")] }));
    expect(unknown.statusCode).toBe(403);
    expect(unknown.json().error).toMatch(/unknown site/);
    const huge = await post("x".repeat(70_000));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error).toMatch(/larger than/);
  });
});

describe("GET /sl/s.js", () => {
  it("serves the tracker compressed and cacheable, with 304 on a matching ETag", async () => {
    const gz = await stack.app.inject({
      method: "GET",
      url: "/sl/s.js",
      headers: { "accept-encoding": "gzip" },
    });
    expect(gz.statusCode).toBe(200);
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers["cache-control"]).toMatch(/max-age=/);
    expect(gunzipSync(gz.rawPayload).toString()).toContain("sightline");
    const br = await stack.app.inject({
      method: "GET",
      url: "/sl/s.js",
      headers: { "accept-encoding": "gzip, br" },
    });
    expect(br.headers["content-encoding"]).toBe("br");
    const again = await stack.app.inject({
      method: "GET",
      url: "/sl/s.js",
      headers: { "if-none-match": String(gz.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it("serves the tracker plugins beside it", async () => {
    for (const plugin of ["errors.js", "vitals.js"]) {
      const res = await stack.app.inject({ method: "GET", url: `/sl/${plugin}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toMatch(/javascript/);
      expect(res.body.length).toBeGreaterThan(100);
    }
  });
});

describe("the shared collector handler in all-in-one mode", () => {
  it("records p.gif hits, answers the GIF and counts them in /sl/metrics (with its token)", async () => {
    const pixel = await stack.app.inject({
      method: "GET",
      url: "/sl/p.gif?s=example.com&u=https%3A%2F%2Fexample.com%2Fmail-open&i=pixel-allinone-1",
      remoteAddress: "198.51.100.24",
    });
    expect(pixel.statusCode).toBe(200);
    expect(pixel.headers["content-type"]).toBe("image/gif");
    expect(pixel.headers["cache-control"]).toMatch(/no-store/);
    expect(spoolLines().find((l) => l.event_id === "pixel-allinone-1")).toMatchObject({
      pathname: "/mail-open",
      name: "pageview",
    });
    // Public through the first-party proxy: only the holder of collector.metricsToken reads it.
    expect((await stack.app.inject({ method: "GET", url: "/sl/metrics" })).statusCode).toBe(401);
    const metrics = await stack.app.inject({
      method: "GET",
      url: "/sl/metrics",
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(metrics.statusCode).toBe(200);
    // Counted before the GIF went out, so no race with the response.
    expect(metrics.body).toMatch(/^sightline_collector_events_accepted_total [1-9]\d*$/m);
    expect(metrics.body).not.toContain("198.51.100.24");
    const health = await stack.app.inject({ method: "GET", url: "/sl/healthz" });
    expect(health.json()).toEqual({ status: "ok", spool: "ok" });
    const internal = await stack.app.inject({
      method: "POST",
      url: "/sl/internal/ndjson",
      payload: "{}",
    });
    expect(internal.statusCode).toBe(404);
  });
});
