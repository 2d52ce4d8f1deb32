import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP_CHROME, launchChromium } from "./browser.ts";
import { api, eventually, type RunningStack, startProcess } from "./process.ts";

const ADMIN = { email: "owner@e2e.test", password: "a very long e2e password" };
const SITE = "e2e.test";

let stack: RunningStack;
let site: Server;
let siteUrl: string;
let browser: Browser;
let token: string;

/** A customer's site on another origin, carrying the first-party snippet pointed at the stack. */
function startCustomerSite(trackerBase: string): Promise<Server> {
  const page = (title: string) => `<!doctype html><html><head><title>${title}</title>
<script defer src="${trackerBase}/sl/s.js" data-site="${SITE}"></script>
<script>window.sightline=window.sightline||function(){(sightline.q=sightline.q||[]).push(arguments)}</script>
</head><body><h1>${title}</h1><a id="next" href="/pricing">Pricing</a></body></html>`;
  const server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(page(req.url ?? "/"));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "sl-e2e-"));
  stack = await startProcess({
    SIGHTLINE_DATA_DIR: dataDir,
    SIGHTLINE_ADMIN_EMAIL: ADMIN.email,
    SIGHTLINE_ADMIN_PASSWORD: ADMIN.password,
  });
  site = await startCustomerSite(stack.url);
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  const login = await api<{ token: string }>(stack.url, "/api/v1/auth/login", {
    method: "POST",
    body: JSON.stringify(ADMIN),
  });
  expect(login.status).toBe(200);
  token = login.body.token;
  const created = await api(stack.url, "/api/v1/sites", {
    method: "POST",
    token,
    body: JSON.stringify({ id: SITE, name: "E2E shop", domains: ["127.0.0.1"] }),
  });
  expect(created.status).toBe(201);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  site?.close();
  await stack?.kill("SIGTERM");
});

describe("all-in-one stack in a real browser", () => {
  it("counts pageviews from the tracker and shows them on the dashboard", async () => {
    const context = await browser.newContext({ userAgent: DESKTOP_CHROME });
    const visitor = await context.newPage();
    const ingest: number[] = [];
    visitor.on("response", (res) => {
      if (res.url().endsWith("/sl/e")) ingest.push(res.status());
    });

    await visitor.goto(`${siteUrl}/`);
    await eventually(
      async () => (ingest.length >= 1 ? true : undefined),
      15_000,
      "the first pageview",
    );
    // A single-page-app navigation is a pageview too.
    await visitor.evaluate("history.pushState({}, '', '/app/step-2')");
    await eventually(
      async () => (ingest.length >= 2 ? true : undefined),
      15_000,
      "the SPA pageview",
    );
    // A second page load by the same visitor.
    await visitor.goto(`${siteUrl}/pricing`);
    await eventually(
      async () => (ingest.length >= 3 ? true : undefined),
      15_000,
      "the third pageview",
    );
    expect(ingest).toEqual([204, 204, 204]);
    await context.close();

    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    const stats = await eventually(
      async () => {
        const res = await api<{ totals: { pageviews: number; visitors: number } }>(
          stack.url,
          `/api/v1/stats/daily?site=${SITE}&from=${from}&to=${today}&tz=UTC`,
          { token },
        );
        return res.body.totals.pageviews >= 3 ? res.body : undefined;
      },
      30_000,
      "pageviews in ClickHouse",
    );
    expect(stats.totals).toEqual({ pageviews: 3, visitors: 1 });

    const dashboard = await (await browser.newContext({ timezoneId: "UTC" })).newPage();
    // The dashboard runs under its Content-Security-Policy: nothing of it may be blocked.
    const violations: string[] = [];
    dashboard.on("console", (m) => {
      if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
    });
    dashboard.on("pageerror", (e) => violations.push(e.message));
    await dashboard.goto(`${stack.url}/`);
    await dashboard.fill("input[name=email]", ADMIN.email);
    await dashboard.fill("input[name=password]", ADMIN.password);
    await dashboard.click("button[type=submit]");
    const pageviews = dashboard.locator("[data-testid=kpi-pageviews]");
    await pageviews.waitFor({ timeout: 30_000 });
    expect(await pageviews.getAttribute("data-value")).toBe("3");
    expect(await dashboard.locator("[data-testid=kpi-visitors]").getAttribute("data-value")).toBe(
      "1",
    );
    // The main chart: an SVG with a bucket per day of the last 30, today's drawn as partial.
    const chart = dashboard.locator("svg[data-testid=timeseries][data-points]");
    await chart.waitFor({ timeout: 30_000 });
    expect(await chart.getAttribute("data-points")).toBe("30");
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    expect(box?.height).toBeGreaterThan(100);
    expect(await chart.locator("path.line-main").first().getAttribute("d")).toMatch(/^M[\d.]+,/);
    expect(await chart.locator("[data-testid=partial-bucket]").count()).toBe(1);
    expect(violations).toEqual([]);

    // An access token the server no longer takes: the dashboard renews it with the session's
    // HttpOnly refresh cookie and carries on.
    await dashboard.evaluate(`localStorage.setItem("sightline.token", "stale.access.token")`);
    await dashboard.reload();
    await pageviews.waitFor({ timeout: 30_000 });
    const renewed = await dashboard.evaluate<string | null>(
      `localStorage.getItem("sightline.token")`,
    );
    expect(renewed).toMatch(/^ey/);
    // Signing out ends the session: a reload shows the sign-in form, not the dashboard.
    await dashboard.getByRole("button", { name: "Sign out" }).click();
    await dashboard.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: 10_000 });
    await dashboard.reload();
    await dashboard.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: 10_000 });
    const replay = await api(stack.url, "/api/v1/me", { token: renewed ?? "" });
    expect(replay.status).toBe(401);
    expect(violations).toEqual([]);
    if (process.env.SIGHTLINE_E2E_SCREENSHOT)
      await dashboard.screenshot({ path: process.env.SIGHTLINE_E2E_SCREENSHOT });
  });
});
