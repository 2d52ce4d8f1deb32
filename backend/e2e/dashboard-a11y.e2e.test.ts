import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axe, severe, type Violation } from "./axe.ts";
import { launchChromium } from "./browser.ts";
import {
  DESKTOP,
  type DemoStack,
  ensureScreenshotDir,
  PHONE,
  REPO_ROOT,
  SHOP,
  seedErrorsAndVitals,
  settled,
  signedInContext,
  startDemoStack,
} from "./dashboard-stack.ts";
import { api } from "./process.ts";

// Every page of the dashboard in both themes, on a desktop and on a phone: a screenshot of each
// (artifacts/screenshots/) and axe-core's WCAG 2.1 A and AA rules, with no serious or critical
// violation allowed. Every violation found is also written to artifacts/axe.json.

const NEW_SITE = "fresh.test";

let d: DemoStack;
let browser: Browser;

beforeAll(async () => {
  [d, browser] = await Promise.all([startDemoStack(), launchChromium()]);
  await seedErrorsAndVitals(d);
  const created = await api(d.url, "/api/v1/sites", {
    method: "POST",
    token: d.token,
    body: JSON.stringify({ id: NEW_SITE, name: "Fresh site", domains: [NEW_SITE] }),
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await d?.close();
});

const steps = encodeURIComponent(JSON.stringify([{ page: "/" }, { page: "/cart" }]));

/** Each view: its address, and what shows it has drawn its data. */
const VIEWS: { name: string; path: string; ready: string; signedOut?: boolean }[] = [
  { name: "login", path: "/", ready: "input[name=email]", signedOut: true },
  { name: "dashboard", path: `/sites/${SHOP}`, ready: "[data-testid=timeseries]" },
  {
    name: "dashboard-map",
    path: `/sites/${SHOP}?tab.locations=map&compare=previous_period`,
    ready: "[data-testid=world-map] svg",
  },
  {
    name: "details",
    path: `/sites/${SHOP}?details=pages.pages`,
    ready: "dialog[open] tbody tr",
  },
  { name: "realtime", path: `/sites/${SHOP}/realtime`, ready: "[data-testid=timeseries]" },
  {
    name: "funnels",
    path: `/sites/${SHOP}/funnels?x.steps=${steps}`,
    ready: "[data-testid=funnel-step]",
  },
  { name: "retention", path: `/sites/${SHOP}/retention`, ready: "[data-testid=retention-grid]" },
  { name: "journeys", path: `/sites/${SHOP}/journeys`, ready: "[data-testid=sankey] svg" },
  { name: "errors", path: `/sites/${SHOP}/errors`, ready: "[data-testid=error-row]" },
  { name: "vitals", path: `/sites/${SHOP}/vitals`, ready: "[data-testid=vital-LCP]" },
  { name: "setup", path: `/sites/${NEW_SITE}`, ready: "[data-testid=first-event]" },
];

const VARIANTS = [
  { name: "desktop-light", theme: "light", viewport: DESKTOP },
  { name: "desktop-dark", theme: "dark", viewport: DESKTOP },
  { name: "phone-light", theme: "light", viewport: PHONE },
  { name: "phone-dark", theme: "dark", viewport: PHONE },
] as const;

const found: { view: string; variant: string; violation: Violation }[] = [];
/** Checks axe could not decide (text over a gradient, say), by rule: for the record. */
const undecided = new Map<string, number>();

describe("every page, both themes, desktop and phone", () => {
  for (const variant of VARIANTS) {
    it(`${variant.name}: screenshots, and no serious or critical axe violation`, async () => {
      const dir = ensureScreenshotDir();
      const signedIn = await signedInContext(browser, d.token, variant);
      const signedOut = await signedInContext(browser, null, variant);
      const pages = { in: await signedIn.newPage(), out: await signedOut.newPage() };
      try {
        for (const view of VIEWS) {
          const page = view.signedOut ? pages.out : pages.in;
          await page.goto(`${d.url}${view.path}`);
          await page.locator(view.ready).first().waitFor({ timeout: 30_000 });
          await settled(page);
          expect(await page.evaluate("document.documentElement.dataset.theme"), view.name).toBe(
            variant.theme,
          );
          // The charts drawn by ECharts fade in.
          if (view.name === "dashboard-map" || view.name === "journeys")
            await page.waitForTimeout(1200);
          await page.screenshot({
            path: join(dir, `${view.name}-${variant.name}.png`),
            fullPage: true,
          });
          const result = await axe(page);
          for (const violation of result.violations)
            found.push({ view: view.name, variant: variant.name, violation });
          for (const check of result.incomplete)
            undecided.set(check.id, (undecided.get(check.id) ?? 0) + check.nodes.length);
        }
      } finally {
        await signedIn.close();
        await signedOut.close();
      }
      const mine = found.filter((f) => f.variant === variant.name);
      expect(severe(mine)).toEqual([]);
    });
  }

  it("the theme toggle switches the theme and the choice outlives a reload", async () => {
    const context = await signedInContext(browser, d.token);
    const page = await context.newPage();
    await page.goto(`${d.url}/sites/${SHOP}`);
    const theme = () => page.evaluate("document.documentElement.dataset.theme");
    const stored = () => page.evaluate("localStorage.getItem('sightline.theme')");
    expect(await theme()).toBe("light");
    expect(await stored()).toBeNull();
    await page.locator("[data-testid=theme-toggle]").click();
    expect(await theme()).toBe("dark");
    expect(await stored()).toBe("dark");
    await page.reload();
    await page.locator("[data-testid=theme-toggle]").waitFor();
    expect(await theme()).toBe("dark");
    // The chart's colours follow the theme's variables.
    const line = await page.evaluate(
      "getComputedStyle(document.documentElement).getPropertyValue('--chart-line').trim()",
    );
    expect(line).not.toBe("");
    await page.locator("[data-testid=theme-toggle]").click();
    expect(await theme()).toBe("light");
    expect(await stored()).toBe("light");
    await context.close();
  });

  afterAll(() => {
    // Every violation, whatever its impact, for the record.
    writeFileSync(
      join(REPO_ROOT, "artifacts", "axe.json"),
      `${JSON.stringify(
        found.map((f) => ({
          view: f.view,
          variant: f.variant,
          id: f.violation.id,
          impact: f.violation.impact,
          help: f.violation.help,
          nodes: f.violation.nodes.map((n) => n.target.join(" ")),
        })),
        null,
        2,
      )}\n`,
    );
    const summary = new Map<string, number>();
    for (const f of found) {
      const key = `${f.violation.id} (${f.violation.impact})`;
      summary.set(key, (summary.get(key) ?? 0) + 1);
    }
    console.log("axe violations by rule (view × variant):", Object.fromEntries(summary));
    console.log("axe could not decide (elements, by rule):", Object.fromEntries(undecided));
  });
});
