// A share link in a real Chromium without signing in: its password, the site's dashboard drawn
// under the page's CSP through the link's own routes only, a custom dashboard, and framing by a
// listed origin only.
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { api, type RunningStack, startProcess } from "./process.ts";

const ADMIN = { email: "owner@e2e.test", password: "a very long e2e password" };
const SITE = "share.e2e.test";

let stack: RunningStack;
let browser: Browser;
let token: string;
/** Two embedding pages on other origins: one listed on the link, one not. */
let listed: Server;
let unlisted: Server;

const origin = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

function embedder(): Promise<Server> {
  const server = createServer((req, res) => {
    const src = new URL(req.url ?? "/", "http://x").searchParams.get("src") ?? "";
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><iframe id="shared" src="${src}" width="1000" height="700"></iframe>`);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function post<T>(path: string, body: object) {
  const res = await api<T>(stack.url, path, { method: "POST", token, body: JSON.stringify(body) });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

/** A page that records CSP violations, page errors and every API call it makes. */
async function watched(): Promise<{ page: Page; problems: string[]; calls: string[] }> {
  const page = await (await browser.newContext({ timezoneId: "UTC" })).newPage();
  const problems: string[] = [];
  const calls: string[] = [];
  page.on("console", (m) => {
    if (/Content.Security.Policy/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/api/")) calls.push(path);
  });
  return { page, problems, calls };
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "sl-e2e-share-"));
  [stack, listed, unlisted] = await Promise.all([
    startProcess({
      SIGHTLINE_DATA_DIR: dataDir,
      SIGHTLINE_ADMIN_EMAIL: ADMIN.email,
      SIGHTLINE_ADMIN_PASSWORD: ADMIN.password,
    }),
    embedder(),
    embedder(),
  ]);
  const login = await api<{ token: string }>(stack.url, "/api/v1/auth/login", {
    method: "POST",
    body: JSON.stringify(ADMIN),
  });
  token = login.body.token;
  await post("/api/v1/sites", { id: SITE, name: "Shared shop", domains: [SITE] });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  listed?.close();
  unlisted?.close();
  await stack?.kill("SIGTERM");
});

describe("share links in a browser", () => {
  it("asks for the password, then shows the site's dashboard through the shared routes only", async () => {
    const { url } = await post<{ url: string }>("/api/v1/shares", {
      site: SITE,
      password: "shared secret words",
    });
    const { page, problems, calls } = await watched();
    await page.goto(url);
    await page.getByRole("heading", { name: "This dashboard needs a password" }).waitFor();
    await page.fill("#share-password", "not the password");
    await page.click("button[type=submit]");
    await page.getByText("this is not the link's password").waitFor();
    await page.fill("#share-password", "shared secret words");
    await page.click("button[type=submit]");
    await page.locator("[data-testid=kpi-visitors]").waitFor({ timeout: 30_000 });
    expect(await page.locator("[data-testid=shared-badge]").textContent()).toBe(
      "Shared, read-only",
    );
    await page.waitForLoadState("networkidle");
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.filter((p) => !p.startsWith("/api/v1/shared/"))).toEqual([]);
    expect(problems).toEqual([]);
    // Nothing of the viewer's access is stored for other pages or tabs.
    expect(await page.evaluate("Object.keys(localStorage)")).not.toContain("sightline.token");
  });

  it("shows a custom dashboard's widgets", async () => {
    const range = { from: "2026-01-01", to: "2026-01-31", tz: "UTC", sites: [SITE] };
    const board = await post<{ id: string }>("/api/v1/dashboards", {
      name: "Team board",
      sites: [SITE],
      widgets: [
        {
          name: "Visitors",
          source: { kind: "query", spec: { ...range, metrics: ["visitors"] } },
          visual: { type: "number" },
        },
      ],
    });
    const { url } = await post<{ url: string }>("/api/v1/shares", { dashboard: board.id });
    const { page, problems, calls } = await watched();
    await page.goto(url);
    await page.locator("[data-testid=board-name]").getByText("Team board").waitFor();
    await page.locator("[data-testid=widget]").waitFor();
    await page.waitForLoadState("networkidle");
    expect(calls).toContain("/api/v1/shared/query");
    expect(calls.filter((p) => !p.startsWith("/api/v1/shared/"))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("is framed by the listed origin only", async () => {
    const { url } = await post<{ url: string }>("/api/v1/shares", {
      site: SITE,
      frameAncestors: [origin(listed)],
    });
    const framedBy = async (server: Server) => {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${origin(server)}/?src=${encodeURIComponent(url)}`);
      const frame = page.frameLocator("#shared");
      try {
        await frame.locator("[data-testid=shared-badge]").waitFor({ timeout: 10_000 });
        return true;
      } catch {
        return false;
      } finally {
        await page.context().close();
      }
    };
    expect(await framedBy(listed)).toBe(true);
    expect(await framedBy(unlisted)).toBe(false);
  }, 60_000);
});
