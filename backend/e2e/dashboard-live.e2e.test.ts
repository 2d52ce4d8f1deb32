import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP_CHROME, launchChromium } from "./browser.ts";
import {
  type DemoStack,
  KPIS,
  kpisOf,
  lastDays,
  readKpis,
  SHOP,
  sendEvents,
  settled,
  signedInContext,
  startDemoStack,
} from "./dashboard-stack.ts";
import { api } from "./process.ts";

// The dashboard while data arrives: the realtime page counting events sent as it is open, and a
// new site's setup page waiting for its first event from a customer's page.

let d: DemoStack;
let browser: Browser;

beforeAll(async () => {
  [d, browser] = await Promise.all([startDemoStack({ events: 20_000 }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await d?.close();
});

/**
 * A customer's site: pages carrying `head` (the snippet as the setup page shows it), and `/sl/`
 * forwarded to the stack, as the proxy recipes on the setup page do, so the tracker is first-party.
 */
function startCustomerSite(stackUrl: string, head: string): Promise<Server> {
  const target = new URL(stackUrl);
  const server = createServer((req, res) => {
    if (req.url?.startsWith("/sl/")) {
      const upstream = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => res.writeHead(502).end());
      req.pipe(upstream);
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>New shop</title>
${head}
</head><body><h1>Welcome to the new shop</h1></body></html>`);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("the dashboard while data arrives", () => {
  it("realtime: events sent to /sl/e while the page is open raise its number", async () => {
    const context = await signedInContext(browser, d.token);
    // One page filtered to a path only this test visits (0, then exactly 3), one unfiltered.
    const filtered = await context.newPage();
    await filtered.goto(`${d.url}/sites/${SHOP}/realtime?f.is.page=%2Fe2e-live`);
    const few = filtered.locator("[data-testid=realtime-visitors]");
    await expect.poll(() => few.getAttribute("data-value"), { timeout: 15_000 }).toBe("0");
    const all = await context.newPage();
    await all.goto(`${d.url}/sites/${SHOP}/realtime`);
    const many = all.locator("[data-testid=realtime-visitors]");
    await expect.poll(() => many.getAttribute("data-value"), { timeout: 15_000 }).toMatch(/^\d+$/);
    const before = Number(await many.getAttribute("data-value"));

    const sentAt = Date.now();
    await sendEvents(
      d.url,
      SHOP,
      [1, 2, 3].map((i) => ({
        n: "pageview",
        u: "https://shop.example/e2e-live",
        v: `e2e-live-${i}`,
        r: "https://news.example/",
      })),
    );
    // The page asks every 10 s; the shipper loads within a second or two.
    await expect
      .poll(() => few.getAttribute("data-value"), { timeout: 25_000, interval: 250 })
      .toBe("3");
    console.log(
      `realtime: 0 → 3 on screen ${((Date.now() - sentAt) / 1000).toFixed(1)} s after sending`,
    );
    const row = filtered.locator("[data-testid=bar-row]", { hasText: "/e2e-live" });
    expect(await row.getAttribute("data-value")).toBe("3");

    // Unfiltered, the number is the API's, and counts the three (demo visitors may also leave
    // the five-minute window meanwhile, so it is compared with the API, not with `before`).
    await expect
      .poll(
        async () => {
          const now = await d.report<{ visitors: number }>("realtime", { sites: [SHOP] });
          const shown = await many.getAttribute("data-value");
          return shown === String(now.visitors) && now.visitors >= 3;
        },
        { timeout: 25_000, interval: 500 },
      )
      .toBe(true);
    console.log(`realtime: unfiltered ${before} → ${await many.getAttribute("data-value")}`);
    const sources = all.locator("section", { hasText: "Sources now" });
    expect(
      await sources.locator("[data-testid=bar-row]", { hasText: "news.example" }).count(),
    ).toBe(1);

    // The dashboard's "current visitors" says the same.
    const dash = await context.newPage();
    await dash.goto(`${d.url}/sites/${SHOP}?f.is.page=%2Fe2e-live`);
    await expect
      .poll(() => dash.locator("[data-testid=current-visitors]").getAttribute("data-value"))
      .toBe("3");
    await context.close();
  });

  it("a new site: the setup page's snippet on a customer page turns the check to received", async () => {
    const site = "new-shop.test";
    const created = await api(d.url, "/api/v1/sites", {
      method: "POST",
      token: d.token,
      body: JSON.stringify({ id: site, name: "New shop", domains: ["127.0.0.1"] }),
    });
    expect(created.status).toBe(201);

    const context = await signedInContext(browser, d.token);
    const page = await context.newPage();
    await page.goto(`${d.url}/sites/${site}`);
    const check = page.locator("[data-testid=first-event]");
    await check.waitFor();
    expect(await check.getAttribute("data-state")).toBe("waiting");
    const snippet = (await page.locator("[data-testid=snippet]").textContent()) ?? "";
    expect(snippet).toContain(`data-site="${site}"`);
    expect(snippet).toContain('src="/sl/s.js"');

    const customer = await startCustomerSite(d.url, snippet);
    try {
      const shop = `http://127.0.0.1:${(customer.address() as AddressInfo).port}`;
      const visitorContext = await browser.newContext({ userAgent: DESKTOP_CHROME });
      const visitor = await visitorContext.newPage();
      const ingest: number[] = [];
      visitor.on("response", (res) => {
        if (new URL(res.url()).pathname === "/sl/e") ingest.push(res.status());
      });
      await visitor.goto(`${shop}/`);
      await expect.poll(() => ingest, { timeout: 15_000 }).toEqual([204]);
      await visitorContext.close();

      // The setup page asks every 3 s.
      await expect
        .poll(() => check.getAttribute("data-state"), { timeout: 20_000, interval: 250 })
        .toBe("received");
      expect(await check.textContent()).toContain("The first event arrived");

      await check.getByRole("button", { name: "Open the dashboard" }).click();
      await page.locator("[data-testid=kpi-pageviews]").waitFor();
      await settled(page);
      const res = await d.query({
        sites: [site],
        ...lastDays(30),
        tz: "UTC",
        metrics: KPIS.map(([, m]) => m),
      });
      expect(kpisOf(res.rows[0])).toMatchObject({ visitors: "1", pageviews: "1" });
      await expect.poll(() => readKpis(page)).toEqual(kpisOf(res.rows[0]));
      const pages = page.locator('section[data-panel="pages"] [data-testid=bar-row]');
      expect(await pages.count()).toBe(1);
      expect(await pages.first().locator(".bar-label").textContent()).toBe("/");
    } finally {
      customer.close();
      await context.close();
    }
  });
});
