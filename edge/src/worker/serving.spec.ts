import { SELF } from "cloudflare:test";
import trackerSource from "@sightline/tracker/dist/s.js";
import { describe, expect, it } from "vitest";
import { TRANSPARENT_GIF } from "./pixel.ts";
import { callWorker, eventId, parseNdjson } from "./test-support.ts";

describe("GET /sl/s.js", () => {
  it("serves the built tracker with cache headers and an ETag, and 304 when it matches", async () => {
    const response = await SELF.fetch("https://shop.example/sl/s.js");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/javascript; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe(
      "public, max-age=3600, stale-while-revalidate=86400",
    );
    const body = await response.text();
    expect(body).toBe(trackerSource);
    expect(body.length).toBeGreaterThan(100);
    const etag = response.headers.get("etag");
    expect(etag).toMatch(/^"[\w-]{22}"$/);

    const again = await SELF.fetch("https://shop.example/sl/s.js", {
      headers: { "if-none-match": `"other", ${etag}` },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const head = await SELF.fetch("https://shop.example/sl/s.js", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);
  });
});

describe("GET /sl/p.gif", () => {
  const pixel = (query: Record<string, string>, headers: Record<string, string> = {}) =>
    new Request(`https://shop.example/sl/p.gif?${new URLSearchParams(query)}`, {
      headers: {
        "cf-connecting-ip": "203.0.113.9",
        "user-agent": "Mozilla/5.0 Firefox/130.0",
        ...headers,
      },
    });

  async function expectGif(response: Response): Promise<void> {
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/gif");
    expect(response.headers.get("cache-control")).toBe("no-store, max-age=0");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes).toEqual(TRANSPARENT_GIF);
    expect(bytes.byteLength).toBe(43);
    expect(new TextDecoder().decode(bytes.slice(0, 6))).toBe("GIF89a");
  }

  it("records a pageview from the query string and answers a 1×1 GIF", async () => {
    const id = eventId("px");
    const { response, sent } = await callWorker(
      pixel({
        s: "shop.example",
        u: "https://shop.example/newsletter?utm_source=mail",
        r: "https://mail.example/inbox",
        i: id,
      }),
    );
    await expectGif(response);
    const rows = parseNdjson(sent.join(""));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      event_id: id,
      name: "pageview",
      site_id: "shop.example",
      pathname: "/newsletter",
      utm_source: "mail",
      referrer_domain: "mail.example",
      tracker_version: "pixel",
    });
    expect(sent.join("")).not.toContain("203.0.113.9");
  });

  it("takes a custom name, makes an id when none is given, and falls back to the Referer", async () => {
    const { response, sent } = await callWorker(
      pixel({ s: "shop.example", n: "email_open" }, { referer: "https://shop.example/promo" }),
    );
    await expectGif(response);
    const [row] = parseNdjson(sent.join(""));
    expect(row).toMatchObject({ name: "email_open", pathname: "/promo" });
    expect(row!.event_id.length).toBeGreaterThanOrEqual(8);
  });

  it("still answers the GIF, and records nothing, for an unknown site, a foreign page or bad input", async () => {
    const queries: Record<string, string>[] = [
      { s: "nope.example", u: "https://nope.example/" },
      { s: "shop.example", u: "https://evil.example/" },
      { s: "shop.example", u: "not a url" },
      { s: "shop.example", u: "https://shop.example/", n: "bad name!" },
      {},
    ];
    for (const query of queries) {
      const { response, sent } = await callWorker(pixel(query));
      await expectGif(response);
      expect(sent).toEqual([]);
    }
  });
});
