// Sign-in with an OpenID provider in Debian's Chromium: the real server process (src/main.ts), a
// real oidc-provider on 127.0.0.1, and the dashboard's button. Proves the browser part the API
// tests cannot: the attempt cookie survives the provider's redirect back (SameSite=Lax), and the
// dashboard picks the session up from the refresh cookie without a token in any URL.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProvider, type TestProvider } from "../src/testing/oidc-provider.ts";
import { adminEnv } from "../src/testing/stack.ts";
import { launchChromium } from "./browser.ts";
import { type RunningStack, startProcess } from "./process.ts";

let provider: TestProvider;
let server: RunningStack;
let browser: Browser;

beforeAll(async () => {
  let base = "";
  provider = await startProvider({
    redirectUri: () => `${base}/api/v1/auth/oidc/callback`,
    people: { ada: { email: "ada@example.test", email_verified: true, groups: ["ops"] } },
  });
  const dir = mkdtempSync(join(tmpdir(), "sl-oidc-e2e-"));
  const config = join(dir, "sightline.yaml");
  writeFileSync(
    config,
    [
      "auth:",
      "  oidc:",
      "    enabled: true",
      `    issuer: ${provider.issuer}`,
      `    clientId: ${provider.clientId}`,
      `    clientSecret: ${provider.clientSecret}`,
      "    scopes: [openid, email, groups]",
      "    label: Example ID",
      "    roles:",
      "      - value: ops",
      "        instanceAdmin: true",
      "",
    ].join("\n"),
  );
  [server, browser] = await Promise.all([
    startProcess({ ...adminEnv(), SIGHTLINE_DATA_DIR: dir, SIGHTLINE_CONFIG: config }),
    launchChromium(),
  ]);
  base = server.url.replace(/\/$/, "");
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.kill("SIGTERM");
  await provider?.close();
});

describe("the sign-in page's provider button", () => {
  it("signs in through the provider and lands on the dashboard with a session", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const visited: string[] = [];
    page.on("request", (r) => {
      if (r.isNavigationRequest()) visited.push(r.url());
    });
    await page.goto(server.url);
    await page.getByRole("link", { name: "Sign in with Example ID" }).click();
    // The provider's development login page, then its consent page.
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name="login"]').fill("ada");
    await page.locator('input[name="password"]').fill("any");
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]', { hasText: "Continue" }).click();

    await page.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).search).toBe("");
    const token = await page.evaluate<string | null>('localStorage.getItem("sightline.token")');
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // The callback was reached, and no URL the browser opened carried one of our tokens.
    expect(visited.some((u) => u.includes("/api/v1/auth/oidc/callback?code="))).toBe(true);
    for (const url of visited) expect(url).not.toContain(token as string);
    const cookies = await context.cookies(new URL("/api/v1/auth/refresh", server.url).href);
    expect(cookies.find((c) => c.name === "sl_refresh")).toMatchObject({ httpOnly: true });
    await context.close();
  });
});
