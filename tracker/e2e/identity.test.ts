// @vitest-environment node
// The built s.js in real Chromium: visitor ids per identity mode, GPC, sessions, commands,
// robustness, and the plugins.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  contextOptions,
  html,
  launchChromium,
  type Receiver,
  sleep,
  snippet,
  startReceiver,
  until,
} from "./harness.ts";

let browser: Browser;
let rx: Receiver;
const contexts: BrowserContext[] = [];
const errors: Error[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});
beforeEach(async () => {
  rx = await startReceiver();
  rx.page("/p", html("<p>p</p>"));
  errors.length = 0;
});
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  await rx.close();
  expect(errors).toEqual([]);
});

async function open(options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(contextOptions(options));
  contexts.push(context);
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(e));
  return page;
}

/** Loads `path` and returns the visitor id of its pageview ("" when none was sent). */
async function visitorOf(page: Page, path = "/p"): Promise<string> {
  const before = rx.events().length;
  await page.goto(rx.url + path);
  await until(
    () =>
      rx
        .events()
        .slice(before)
        .some((e) => e.n === "pageview"),
    5000,
    "pageview",
  );
  return (
    rx
      .events()
      .slice(before)
      .find((e) => e.n === "pageview")!.v ?? ""
  );
}

const sightline = (page: Page, ...args: unknown[]) =>
  page.evaluate(
    (a) => (window as unknown as { sightline(...a: unknown[]): void }).sightline(...a),
    args,
  );

describe("identity", () => {
  it("fingerprint (default): the same id on reload and in a fresh context of the same device", async () => {
    const page = await open();
    const first = await visitorOf(page);
    expect(first).toMatch(/^[0-9a-f]{8,16}$/);
    expect(await visitorOf(page)).toBe(first);
    expect(await visitorOf(await open())).toBe(first);
    // Nothing identifying is stored: the id is computed on each load.
    const stored = await page.evaluate(() => JSON.stringify(localStorage));
    expect(stored).not.toContain(first);
    expect(await page.evaluate(() => document.cookie)).toBe("");
  });

  it("fingerprint: contexts that differ in screen size, language or timezone get different ids", async () => {
    const base = await visitorOf(await open());
    const ids = [
      // The default context has a 1280x720 viewport and screen.
      await visitorOf(
        await open({
          screen: { width: 1920, height: 1080 },
          viewport: { width: 1280, height: 720 },
        }),
      ),
      await visitorOf(await open({ locale: "de-DE" })),
      await visitorOf(await open({ timezoneId: "Asia/Tokyo" })),
    ];
    expect(new Set([base, ...ids]).size, JSON.stringify([base, ...ids])).toBe(4);
  });

  it("Global Privacy Control: no fingerprint and no stored id; the server assigns one", async () => {
    const page = await open({ extraHTTPHeaders: { "Sec-GPC": "1" } });
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true });
    });
    // Counts canvas reads, to prove no fingerprint is taken.
    await page.addInitScript(() => {
      const w = window as unknown as { reads: number };
      w.reads = 0;
      const orig = HTMLCanvasElement.prototype.toDataURL;
      HTMLCanvasElement.prototype.toDataURL = function (...a) {
        w.reads++;
        return orig.apply(this, a);
      };
    });
    rx.page("/s", html("x", snippet('data-identity="storage"')));
    expect(await visitorOf(page)).toBe("");
    expect(await visitorOf(page, "/s")).toBe("");
    expect(await page.evaluate(() => localStorage.sl_v)).toBeUndefined();
    expect(await page.evaluate(() => (window as unknown as { reads: number }).reads)).toBe(0);
  });

  it("GPC off but Do Not Track on: no visitor id either", async () => {
    const page = await open();
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, "doNotTrack", { get: () => "1" });
    });
    expect(await visitorOf(page)).toBe("");
  });

  // Issue 12, item 10: under GPC or DNT the tracker still stored a session (sl_s) and sent x.
  for (const signal of ["GPC", "DNT"])
    it(`under ${signal} nothing but the opt-out choice is stored, and no session id is sent`, async () => {
      const page = await open();
      await page.addInitScript((gpc) => {
        if (gpc)
          Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true });
        else Object.defineProperty(Navigator.prototype, "doNotTrack", { get: () => "1" });
      }, signal === "GPC");
      const stored = () =>
        page.evaluate(() =>
          Object.keys(localStorage)
            .filter((k) => k.startsWith("sl_"))
            .sort(),
        );
      rx.answers.push({ status: 503 }); // so the queue holds the first batch for a while
      const now = Date.now();
      await page.clock.install({ time: now });
      await page.clock.pauseAt(now + 1000);
      await page.goto(`${rx.url}/p`);
      await sightline(page, "identify", "u1");
      await sightline(page, "track", "one");
      await page.clock.runFor(150);
      await until(() => rx.batches.length === 1);
      await sleep(200); // the page takes the 503 and keeps the batch for a retry
      expect(await stored()).toEqual([]);
      await page.clock.runFor(2500);
      await until(() => rx.names().includes("one"));
      expect(await stored()).toEqual([]);
      expect(rx.events().map((e) => [e.n, e.x, e.v])).toEqual([
        ["pageview", undefined, undefined],
        ["one", undefined, undefined],
      ]);
      await sightline(page, "optout");
      expect(await stored()).toEqual(["sl_o"]);
      await page.reload(); // the choice holds on the next load
      await page.clock.runFor(1000);
      await sleep(300);
      expect(rx.names()).toEqual(["pageview", "one"]);
      await sightline(page, "optin");
      expect(await stored()).toEqual([]);
    });

  it("cookieless mode sends no visitor id; storage mode keeps a random one in localStorage", async () => {
    rx.page("/c", html("x", snippet('data-identity="cookieless"')));
    rx.page("/s", html("x", snippet('data-identity="storage"')));
    const page = await open();
    expect(await visitorOf(page, "/c")).toBe("");
    const stored = await visitorOf(page, "/s");
    expect(stored).toMatch(/^[0-9a-f]{32}$/);
    expect(await page.evaluate(() => localStorage.sl_v)).toBe(stored);
    expect(await visitorOf(page, "/s")).toBe(stored);
    // Another profile gets another random id, even on the same device.
    expect(await visitorOf(await open(), "/s")).not.toBe(stored);
    // Leaving storage mode deletes the stored id.
    await visitorOf(page, "/c");
    expect(await page.evaluate(() => localStorage.sl_v)).toBeUndefined();
  });

  it("rotates the session after 30 minutes without events, also in a long-lived SPA tab", async () => {
    const page = await open();
    const now = Date.now();
    await page.clock.install({ time: now });
    await page.clock.pauseAt(now + 1000);
    await page.goto(`${rx.url}/p`);
    await page.clock.runFor(150);
    await until(() => rx.events().length === 1);
    const x = () => rx.events().at(-1)!.x;
    const first = x();
    await page.clock.runFor(29 * 60_000);
    await page.evaluate(() => history.pushState({}, "", "/p2"));
    await page.clock.runFor(150);
    await until(() => rx.names().filter((n) => n === "pageview").length === 2);
    expect(x()).toBe(first);
    await page.clock.runFor(31 * 60_000);
    await page.evaluate(() => history.pushState({}, "", "/p3"));
    await page.clock.runFor(150);
    await until(() => rx.names().filter((n) => n === "pageview").length === 3);
    expect(x()).not.toBe(first);
    expect(x()).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("commands", () => {
  it("track sends flat props within limits and typed revenue", async () => {
    const page = await open();
    await visitorOf(page);
    await sightline(
      page,
      "track",
      "purchase",
      {
        plan: "pro",
        seats: 3,
        trial: false,
        nested: { no: 1 },
        long: "x".repeat(600),
      },
      { amount: 49.9, currency: "eur" },
    );
    await sightline(page, "track", "bad name!");
    await sightline(page, "nonsense", 1);
    await until(() => rx.names().includes("purchase"));
    const e = rx.events().find((x) => x.n === "purchase")!;
    expect(e.p).toEqual({ plan: "pro", seats: 3, trial: false, long: "x".repeat(512) });
    expect(e.m).toEqual({ a: 49.9, c: "EUR" });
    await sleep(300);
    expect(rx.names()).not.toContain("bad name!");
  });

  it("identify refuses email-shaped ids (warning in debug mode); reset forgets the user", async () => {
    rx.page("/dbg", html("x", snippet("data-debug")));
    const page = await open();
    const warnings: string[] = [];
    page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
    await visitorOf(page, "/dbg");
    await sightline(page, "identify", "ada@example.com");
    await sightline(page, "track", "a");
    await sightline(page, "identify", "user-42");
    await sightline(page, "track", "b");
    await page.reload();
    await sightline(page, "track", "c");
    await sightline(page, "reset");
    await sightline(page, "track", "d");
    await until(() => rx.names().includes("d"));
    const w = (n: string) => rx.events().find((e) => e.n === n)!.w;
    expect([w("a"), w("b"), w("c"), w("d")]).toEqual([undefined, "user-42", "user-42", undefined]);
    expect(warnings.some((t) => t.includes("refused id"))).toBe(true);
    expect(JSON.stringify(rx.batches)).not.toContain("ada@example.com");
  });

  it("optout persists across loads until optin", async () => {
    const page = await open();
    await visitorOf(page);
    await sightline(page, "optout");
    await page.reload();
    await sightline(page, "track", "hidden");
    await sleep(500);
    expect(rx.names()).toEqual(["pageview"]);
    await sightline(page, "optin");
    await sightline(page, "track", "seen");
    await until(() => rx.names().includes("seen"));
    expect(rx.names()).not.toContain("hidden");
  });

  it("replays calls queued before the script loaded, in order, before the first pageview", async () => {
    rx.page(
      "/q",
      html(
        "x",
        `${snippet()}<script>sightline("identify","early");sightline("track","first",{n:1});sightline("track","second")</script>`,
      ),
    );
    const page = await open();
    await page.goto(`${rx.url}/q`);
    await until(() => rx.names().length >= 3);
    expect(rx.names().slice(0, 3)).toEqual(["first", "second", "pageview"]);
    expect(rx.events().every((e) => e.w === "early")).toBe(true);
  });
});

describe("robustness", () => {
  it("never throws into the page when localStorage and canvas throw", async () => {
    const page = await open();
    await page.addInitScript(() => {
      const boom = () => {
        throw new Error("blocked");
      };
      Object.defineProperty(window, "localStorage", { get: boom });
      HTMLCanvasElement.prototype.getContext = boom;
      HTMLCanvasElement.prototype.toDataURL = boom;
    });
    const id = await visitorOf(page);
    expect(id).toMatch(/^[0-9a-f]+$/);
    await sightline(page, "track", "still-works");
    await sightline(page, "identify", "u1");
    await sightline(page, "optout");
    await sightline(page, "optin");
    await page.evaluate(() => history.pushState({}, "", "/next"));
    await until(() => rx.names().includes("still-works"));
    await until(() => rx.names().filter((n) => n === "pageview").length === 2);
  });

  it("sends nothing while the page is prerendered, and one pageview once shown", async () => {
    const page = await open();
    await page.addInitScript(() => {
      Object.defineProperty(document, "prerendering", {
        get: () => !(window as unknown as { shown?: 1 }).shown,
        configurable: true,
      });
    });
    await page.goto(`${rx.url}/p`);
    await sleep(600);
    expect(rx.batches).toHaveLength(0);
    await page.evaluate(() => {
      (window as unknown as { shown?: 1 }).shown = 1;
      document.dispatchEvent(new Event("prerenderingchange"));
    });
    await until(() => rx.names().includes("pageview"));
    await sleep(300);
    expect(rx.names()).toEqual(["pageview"]);
  });
});

describe("plugins", () => {
  it("errors.js: window errors and unhandled rejections, deduplicated, with a stack fingerprint", async () => {
    rx.page(
      "/err",
      html(
        `<script>
function fail() { throw new TypeError("boom " + 1) }
setTimeout(fail, 300); setTimeout(fail, 350);
setTimeout(() => { throw new RangeError("other") }, 400);
setTimeout(() => Promise.reject(new Error("nope")), 450);
</script>`,
        snippet('data-plugins="errors"'),
      ),
    );
    const page = await open();
    page.removeAllListeners("pageerror"); // these errors are the point of the test
    await page.goto(`${rx.url}/err`);
    await until(() => rx.names().filter((n) => n === "error").length >= 3);
    await sleep(500);
    const errs = rx
      .events()
      .filter((e) => e.n === "error")
      .map((e) => e.p!);
    expect(errs).toHaveLength(3);
    expect(errs[0]).toMatchObject({
      message: "Uncaught TypeError: boom 1",
      type: "TypeError",
      source: `${rx.url}/err`,
    });
    expect(errs[0]!.line).toBeGreaterThan(0);
    expect(errs[0]!.fp).toMatch(/^[0-9a-f]+$/);
    expect(errs[2]).toMatchObject({ message: "nope", type: "unhandledrejection" });
    expect(new Set(errs.map((e) => e.fp)).size).toBe(3);
  });

  it("vitals.js: TTFB and FCP at once, LCP and CLS when the page is hidden", async () => {
    rx.page(
      "/v",
      html("<h1>Vitals</h1><p>The largest text on the page.</p>", snippet('data-plugins="vitals"')),
    );
    rx.page("/away", html("away", ""));
    const page = await open();
    await page.goto(`${rx.url}/v`);
    await until(() => rx.events().filter((e) => e.n === "web_vital").length >= 2);
    await page.click("h1");
    await sleep(300);
    await page.goto(`${rx.url}/away`);
    await until(() => rx.events().filter((e) => e.n === "web_vital").length >= 4);
    await sleep(300);
    const vitals: Record<string, Record<string, unknown>> = Object.fromEntries(
      rx
        .events()
        .filter((e) => e.n === "web_vital")
        .map((e) => [e.p!.metric, e.p!]),
    );
    expect(Object.keys(vitals).sort()).toEqual(
      expect.arrayContaining(["CLS", "FCP", "LCP", "TTFB"]),
    );
    for (const v of Object.values(vitals)) {
      expect(v.value).toBeGreaterThanOrEqual(0);
      expect(["good", "needs-improvement", "poor"]).toContain(v.rating);
    }
    expect(vitals.CLS!.value).toBe(0);
  });

  it("loads no plugin unless enabled", async () => {
    const page = await open();
    const scripts: string[] = [];
    page.on("request", (r) => r.url().endsWith(".js") && scripts.push(new URL(r.url()).pathname));
    await visitorOf(page);
    expect(scripts).toEqual(["/sl/s.js"]);
  });
});
