import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CachedSiteDirectory, parseSiteDirectory, siteDirectoryFor } from "./sites.ts";
import { batch, callWorker, ingestRequest, pageview } from "./test-support.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("site directory", () => {
  it("parses the JSON directory and names what is wrong", () => {
    const sites = parseSiteDirectory('[{"id":"a.example","domains":["a.example"]}]', "SITES_JSON");
    expect(sites.get("a.example")).toEqual({ id: "a.example", domains: ["a.example"] });
    expect(() => parseSiteDirectory("{", "SITES_JSON")).toThrow("SITES_JSON is not valid JSON");
    expect(() => parseSiteDirectory('[{"id":"a"}]', "SITES_JSON")).toThrow("SITES_JSON: 0.domains");
    expect(() => parseSiteDirectory('[{"id":"a","domains":[],"x":1}]', "SITES_JSON")).toThrow(
      "SITES_JSON",
    );
  });

  it("caches the directory for its TTL, then reloads it", async () => {
    let now = 0;
    let text = '[{"id":"a.example","domains":["a.example"]}]';
    const load = vi.fn(async () => text);
    const directory = new CachedSiteDirectory(load, "test", 60_000, () => now);
    expect(await directory.get("a.example")).toBeDefined();
    text = '[{"id":"b.example","domains":["b.example"]}]';
    now = 59_999;
    expect(await directory.get("b.example")).toBeUndefined();
    expect(load).toHaveBeenCalledTimes(1);
    now = 60_000;
    expect(await directory.get("b.example")).toBeDefined();
    expect(await directory.get("a.example")).toBeUndefined();
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("keeps the last good directory when a reload fails, and says why in the log", async () => {
    let now = 0;
    let text = '[{"id":"a.example","domains":["a.example"]}]';
    const directory = new CachedSiteDirectory(
      async () => text,
      "KV SITES/sites",
      1000,
      () => now,
    );
    await directory.get("a.example");
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    text = "[broken";
    now = 5000;
    expect(await directory.get("a.example")).toBeDefined();
    expect(errors.mock.calls.join(" ")).toContain("KV SITES/sites is not valid JSON");
  });

  it("fails (and the ingest answers 503) when no directory was ever loaded", async () => {
    const directory = new CachedSiteDirectory(async () => "nope", "SITES_JSON", 1000);
    await expect(directory.get("a")).rejects.toThrow("SITES_JSON is not valid JSON");
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { response, sent } = await callWorker(
      ingestRequest(batch("shop.example", [pageview("https://shop.example/")])),
      { SITES_JSON: "not json" },
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: "COLLECTOR_UNAVAILABLE" });
    expect(sent).toEqual([]);
  });

  it("reads the directory from the SITES KV namespace when one is bound", async () => {
    await env.SITES_TEST.put(
      "sites",
      JSON.stringify([{ id: "kv.example", domains: ["kv.example"] }]),
    );
    const overrides = { SITES: env.SITES_TEST, SITES_TTL_SECONDS: "0" };
    const known = await callWorker(
      ingestRequest(batch("kv.example", [pageview("https://kv.example/")]), {
        origin: "https://kv.example",
      }),
      overrides,
    );
    expect(known.response.status).toBe(204);
    // SITES_JSON is ignored while KV is bound.
    const fromVar = await callWorker(
      ingestRequest(batch("shop.example", [pageview("https://shop.example/")])),
      overrides,
    );
    expect(fromVar.response.status).toBe(403);
    // With a TTL of 0 every request sees the current KV value.
    await env.SITES_TEST.put("sites", "[]");
    const removed = await callWorker(
      ingestRequest(batch("kv.example", [pageview("https://kv.example/")])),
      overrides,
    );
    expect(removed.response.status).toBe(403);
    expect(siteDirectoryFor({ ...env, ...overrides })).toBe(
      siteDirectoryFor({ ...env, ...overrides }),
    );
  });
});
