import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleWorker } from "./bundle.ts";

const TRACKER = fileURLToPath(new URL("../../../../tracker/dist/s.js", import.meta.url));

describe("wrangler deploy --dry-run", () => {
  let outdir: string;
  let stdout: string;

  beforeAll(async () => {
    ({ outdir, stdout } = await bundleWorker());
  });

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it("bundles the Worker without network, with its bindings and the tracker as a Text module", () => {
    expect(stdout).toContain("--dry-run: exiting now.");
    for (const binding of [
      "env.SALTS (SaltKeeper)",
      "env.EVENTS (sightline-events)",
      "env.BASE_PATH",
    ]) {
      expect(stdout).toContain(binding);
    }
    const files = readdirSync(outdir);
    expect(files).toContain("index.js");
    const tracker = files.find((name) => name.endsWith("-s.js"));
    expect(tracker).toBeDefined();
    expect(readFileSync(join(outdir, tracker!), "utf8")).toBe(readFileSync(TRACKER, "utf8"));
  });

  it("the bundle runs in workerd: ingest answers 204 and s.js is the tracker", async () => {
    const mf = new Miniflare({
      modules: true,
      scriptPath: join(outdir, "index.js"),
      modulesRoot: outdir,
      modulesRules: [{ type: "Text", include: ["**/*-s.js"] }],
      compatibilityDate: "2026-04-20",
      cf: { country: "NL", region: "North Holland", city: "Amsterdam" },
      durableObjects: { SALTS: "SaltKeeper" },
      queueProducers: { EVENTS: "sightline-events" },
      bindings: {
        BASE_PATH: "/sl",
        SITES_JSON: JSON.stringify([{ id: "shop.example", domains: ["shop.example"] }]),
      },
    });
    try {
      const body = JSON.stringify({
        s: "shop.example",
        sv: "1",
        e: [{ i: "dry-run-event-1", n: "pageview", t: Date.now(), u: "https://shop.example/" }],
      });
      const ingest = await mf.dispatchFetch("https://shop.example/sl/e", {
        method: "POST",
        body,
        headers: { "cf-connecting-ip": "203.0.113.1", "user-agent": "Mozilla/5.0 Chrome/130.0" },
      });
      expect(ingest.status).toBe(204);
      const script = await mf.dispatchFetch("https://shop.example/sl/s.js");
      expect(await script.text()).toBe(readFileSync(TRACKER, "utf8"));
      const bad = await mf.dispatchFetch("https://shop.example/sl/e", {
        method: "POST",
        body: "{",
      });
      expect(bad.status).toBe(400);
    } finally {
      await mf.dispose();
    }
  });
});
