import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";
import {
  type DemoStack,
  daysAgo,
  type Filter,
  KPIS,
  kpisOf,
  lastDays,
  type Row,
  readKpis,
  SHOP,
  seedErrorsAndVitals,
  settled,
  signedInContext,
  startDemoStack,
} from "./dashboard-stack.ts";

// The dashboard in Debian's Chromium on demo data: every page, every panel tab, a details dialog,
// filters from a row, the range and the browser's history, the comparison. Numbers on screen are
// checked against the query API, not just that something was drawn.

let d: DemoStack;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  [d, browser] = await Promise.all([startDemoStack(), launchChromium()]);
  await seedErrorsAndVitals(d);
  const context = await signedInContext(browser, d.token);
  page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await d?.close();
});

const TZ = "UTC";
const range = (r: { from: string; to: string }) => ({ sites: [SHOP], ...r, tz: TZ });

/** Polls until the six cards show what the API answers for this range and these filters. */
async function expectKpis(r: { from: string; to: string }, filters: Filter[] = []) {
  const res = await d.query({ ...range(r), filters, metrics: KPIS.map(([, m]) => m) });
  const expected = kpisOf(res.rows[0]);
  expect(Number(expected.visitors)).toBeGreaterThan(0);
  await settled(page);
  await expect.poll(() => readKpis(page), { timeout: 15_000 }).toEqual(expected);
}

const PANEL_ROWS = `(panel) => [...document.querySelectorAll('section[data-panel="' + panel + '"] [data-testid=bar-row]')]
  .map((li) => ({ label: li.querySelector('.bar-label').textContent, value: Number(li.dataset.value) }))`;

async function barRows(panel: string): Promise<{ label: string; value: number }[]> {
  return page.evaluate(`(${PANEL_ROWS})(${JSON.stringify(panel)})`);
}

/** The demo's channel keys read as words on screen ("organic_search" → "Organic search"). */
const words = (v: string) => {
  const w = v.replaceAll("_", " ");
  return w.charAt(0).toUpperCase() + w.slice(1);
};
const countries = new Intl.DisplayNames(["en"], { type: "region" });

/** Tabs whose top rows are checked against the API: the dimension, the first metric, the label. */
const CHECKED: Record<
  string,
  { dimension: string; where?: Filter[]; label: (v: string) => string }
> = {
  "sources.channels": { dimension: "channel", label: words },
  "sources.sources": {
    dimension: "referrer_domain",
    label: (v) => (v === "" ? "Direct / none" : v),
  },
  "pages.pages": { dimension: "page", label: (v) => v },
  "pages.entry": { dimension: "entry_page", label: (v) => v },
  "locations.countries": { dimension: "country", label: (v) => countries.of(v) ?? v },
  "devices.browsers": { dimension: "browser", label: (v) => v },
  "devices.os": { dimension: "os", label: (v) => v },
  "goals.goals": {
    dimension: "event",
    label: (v) => v,
    where: [
      "pageview",
      "engagement",
      "scroll",
      "outbound",
      "download",
      "form",
      "404",
      "web_vital",
      "error",
    ].map((value) => ({ dimension: "event", op: "is_not", value })),
  },
};
const FIRST_METRIC: Record<string, string> = {
  "pages.entry": "sessions",
};

/**
 * The panel's top rows are the API's: the same values in the same order, and each label one the
 * API gives that value to (rows with equal values may come in either order).
 */
async function expectTopRows(
  panel: string,
  tab: string,
  r: { from: string; to: string },
  filters: Filter[] = [],
) {
  const check = CHECKED[`${panel}.${tab}`];
  if (!check) throw new Error(`no check for ${panel}.${tab}`);
  const metric = FIRST_METRIC[`${panel}.${tab}`] ?? "visitors";
  const res = await d.query({
    ...range(r),
    filters: [...filters, ...(check.where ?? [])],
    dimensions: [check.dimension],
    metrics: [metric],
    sort: [{ by: metric, dir: "desc" }],
    limit: 50,
  });
  const api = res.rows.map((row: Row) => ({
    label: check.label(String(row[check.dimension] ?? "")),
    value: Number(row[metric]),
  }));
  await settled(page);
  const shown = await barRows(panel);
  expect(shown.length, `${panel}.${tab} rows`).toBe(Math.min(10, api.length));
  expect(
    shown.map((s) => s.value),
    `${panel}.${tab} values`,
  ).toEqual(api.slice(0, shown.length).map((a) => a.value));
  for (const s of shown) {
    const same = api.filter((a) => a.value === s.value).map((a) => a.label);
    expect(same, `${panel}.${tab}: "${s.label}" has ${s.value}`).toContain(s.label);
  }
  return shown;
}

const panel = (key: string) => page.locator(`section[data-panel="${key}"]`);

async function open(path: string) {
  await page.goto(`${d.url}${path}`);
  await page.locator("[data-testid=period], [data-testid=realtime-visitors]").first().waitFor();
  await settled(page);
}

/** Every tab of a panel, in order: links, or the menu a panel with many tabs has. */
async function tabsOf(key: string): Promise<{ key: string; choose: () => Promise<void> }[]> {
  const select = panel(key).locator(".tab-select select");
  if (await select.count()) {
    const options = select.locator("option");
    const values: string[] = [];
    for (let i = 0; i < (await options.count()); i++)
      values.push((await options.nth(i).getAttribute("value")) ?? "");
    return values.map((v) => ({ key: v, choose: async () => void (await select.selectOption(v)) }));
  }
  const links = panel(key).getByRole("tab");
  const out: { key: string; choose: () => Promise<void> }[] = [];
  for (let i = 0; i < (await links.count()); i++) {
    const href = (await links.nth(i).getAttribute("href")) ?? "";
    const tab = new URL(href, d.url).searchParams.get(`tab.${key}`) ?? "";
    out.push({ key: tab, choose: () => links.nth(i).click() });
  }
  return out;
}

/** What a panel shows once settled: rows, a map, an empty message, or something else. */
async function shows(p: Locator): Promise<string> {
  if (await p.locator(".notice-error").count())
    return `error: ${await p.locator(".notice-error").first().textContent()}`;
  const rows = await p.locator("[data-testid=bar-row], [data-testid=revenue-row]").count();
  if (rows) return `${rows} rows`;
  if (await p.locator("[data-testid=world-map]").count()) return "map";
  if (await p.locator(".empty-text").count()) return "empty";
  return "nothing";
}

describe("the dashboard on demo data", () => {
  it("shows the headline numbers, the chart and each panel's top rows as the API answers them", async () => {
    await open(`/sites/${SHOP}`);
    await expectKpis(lastDays(30));
    const chart = page.locator("[data-testid=timeseries]");
    expect(await chart.getAttribute("data-points")).toBe("30");
    // Today has only partly happened: its segment is drawn dashed, not as a drop.
    expect(await page.locator("[data-testid=partial-bucket]").count()).toBe(1);
    expect(await page.locator("[data-testid=comparison-line]").count()).toBe(0);
    expect((await chart.boundingBox())?.width).toBeGreaterThan(600);
    for (const key of ["sources.channels", "pages.pages", "locations.countries", "goals.goals"]) {
      const [p, t] = key.split(".") as [string, string];
      await expectTopRows(p, t, lastDays(30));
    }
    // Headline changes are whole numbers (percent, or points for the bounce rate).
    for (const text of await page.locator(".kpi .delta").allTextContents())
      expect(text).toMatch(/^[↑↓]?\d+(%| pt)$/);
  });

  it("walks every tab of every panel; each draws rows, a map or says why it is empty", async () => {
    await open(`/sites/${SHOP}`);
    const seen: Record<string, string> = {};
    for (const key of ["sources", "pages", "locations", "devices", "goals", "behaviour"]) {
      for (const tab of await tabsOf(key)) {
        await tab.choose();
        await page.waitForURL((u) => u.searchParams.get(`tab.${key}`) === tab.key);
        await settled(page);
        if (tab.key === "map") {
          // The map colours every country the API has visitors from.
          const map = panel(key).locator("[data-testid=world-map]");
          await map.locator("svg").waitFor();
          const countries = await d.query({
            ...range(lastDays(30)),
            dimensions: ["country"],
            metrics: ["visitors"],
            limit: 250,
          });
          expect(await map.getAttribute("data-countries")).toBe(String(countries.rows.length));
        }
        seen[`${key}.${tab.key}`] = await shows(panel(key));
        if (CHECKED[`${key}.${tab.key}`]) await expectTopRows(key, tab.key, lastDays(30));
      }
    }
    console.log("panel tabs:", seen);
    expect(Object.keys(seen)).toHaveLength(8 + 3 + 4 + 3 + 3 + 5);
    expect(Object.values(seen).filter((s) => s.startsWith("error") || s === "nothing")).toEqual([]);
    // The demo shop's traffic has all of these.
    for (const key of [
      "sources.channels",
      "sources.sources",
      "sources.referrers",
      "pages.pages",
      "pages.entry",
      "pages.exit",
      "locations.countries",
      "devices.browsers",
      "devices.os",
      "devices.devices",
      "goals.goals",
      "goals.revenue",
    ])
      expect(seen[key] ?? key, key).toMatch(/rows$/);
    expect(seen["locations.map"]).toBe("map");
  });

  it("opens a panel's details: search, sort and the next page", async () => {
    await open(`/sites/${SHOP}`);
    await panel("pages").getByRole("link", { name: "Details" }).click();
    await page.waitForURL((u) => u.searchParams.get("details") === "pages.pages");
    const dialog = page.locator("dialog[open]");
    await dialog.waitFor();
    await settled(page);
    const all = await d.query({
      ...range(lastDays(30)),
      dimensions: ["page"],
      metrics: ["visitors"],
      limit: 1000,
    });
    expect(all.rows.length).toBeGreaterThan(25);
    const pager = dialog.locator(".pager .muted");
    const pages = Math.ceil(all.rows.length / 25);
    expect(await pager.textContent()).toBe(`${all.rows.length} rows · page 1 of ${pages}`);
    const bodyRows = dialog.locator("tbody tr");
    expect(await bodyRows.count()).toBe(25);

    // Next page: the 26th row and on.
    const firstOnPage1 = await bodyRows.first().locator("th").textContent();
    await dialog.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => pager.textContent()).toContain(`page 2 of ${pages}`);
    expect(await bodyRows.first().locator("th").textContent()).not.toBe(firstOnPage1);
    expect(await bodyRows.count()).toBe(Math.min(25, all.rows.length - 25));

    // Sort by pageviews, both ways: the column is in order and the sort is named for readers.
    const pageviewsHeader = dialog.locator("th", { hasText: "Pageviews" });
    const column = async () =>
      (await dialog.locator("tbody tr td:nth-of-type(2)").allTextContents()).map((t) =>
        Number(t.replaceAll(",", "")),
      );
    await pageviewsHeader.getByRole("button").click();
    await expect.poll(() => pageviewsHeader.getAttribute("aria-sort")).toBe("descending");
    await settled(page);
    expect(await pager.textContent()).toContain("page 1 of");
    const desc = await column();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    const byPageviews = await d.query({
      ...range(lastDays(30)),
      dimensions: ["page"],
      metrics: ["pageviews"],
      sort: [{ by: "pageviews", dir: "desc" }],
      limit: 1,
    });
    expect(desc[0]).toBe(Number(byPageviews.rows[0]?.pageviews));
    await pageviewsHeader.getByRole("button").click();
    await expect.poll(() => pageviewsHeader.getAttribute("aria-sort")).toBe("ascending");
    await settled(page);
    const asc = await column();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));

    // Search: what the API finds with the same "contains" condition.
    await dialog.locator("input[name=search]").fill("products");
    const found = await d.query({
      ...range(lastDays(30)),
      filters: [{ dimension: "page", op: "contains", value: "products" }],
      dimensions: ["page"],
      metrics: ["visitors"],
      limit: 1000,
    });
    expect(found.rows.length).toBeGreaterThan(0);
    await expect
      .poll(() => pager.textContent(), { timeout: 10_000 })
      .toMatch(new RegExp(`^${found.rows.length} rows · page 1 of`));
    await settled(page);
    for (const label of await dialog.locator("tbody tr th").allTextContents())
      expect(label).toContain("products");
    await dialog.locator("input[name=search]").fill("no-such-page-anywhere");
    await expect
      .poll(() => dialog.locator(".empty-text").textContent())
      .toContain("Nothing matches");

    await dialog.getByRole("button", { name: "Close" }).click();
    await page.waitForURL((u) => !u.searchParams.has("details"));
    expect(await page.locator("dialog[open]").count()).toBe(0);
  });

  it("filters by a clicked row: chips, numbers as the API gives them, drill-down, removal", async () => {
    await open(`/sites/${SHOP}`);
    const channel = panel("sources").locator("[data-testid=bar-row] a.bar-label").first();
    const channelText = await channel.textContent();
    await channel.click();
    await page.waitForURL((u) => u.searchParams.has("f.is.channel"));
    const channelValue = new URL(page.url()).searchParams.get("f.is.channel") ?? "";
    expect(words(channelValue)).toBe(channelText);
    const chips = page.locator("[data-testid=filter-chip]");
    expect(await chips.count()).toBe(1);
    expect(await chips.first().textContent()).toContain(`Channel is ${channelText}`);
    const byChannel: Filter[] = [{ dimension: "channel", op: "is", value: channelValue }];
    await expectKpis(lastDays(30), byChannel);
    await expectTopRows("pages", "pages", lastDays(30), byChannel);
    await expectTopRows("devices", "browsers", lastDays(30), byChannel);

    // A second filter, from the browsers list; the list then drills into that browser's versions.
    const browserRow = panel("devices").locator("[data-testid=bar-row] a.bar-label").first();
    const browserName = (await browserRow.textContent()) ?? "";
    await browserRow.click();
    await page.waitForURL((u) => u.searchParams.get("f.is.browser") === browserName);
    expect(await chips.count()).toBe(2);
    const both: Filter[] = [...byChannel, { dimension: "browser", op: "is", value: browserName }];
    await expectKpis(lastDays(30), both);
    await settled(page);
    const versions = await barRows("devices");
    expect(versions.length).toBeGreaterThan(0);
    for (const v of versions) expect(v.label.startsWith(`${browserName} `)).toBe(true);
    expect(await page.getByRole("link", { name: "Clear all" }).count()).toBe(1);

    // Removing the channel keeps the browser.
    await chips.filter({ hasText: "Channel" }).locator(".chip-remove").click();
    await page.waitForURL((u) => !u.searchParams.has("f.is.channel"));
    expect(await chips.count()).toBe(1);
    await expectKpis(lastDays(30), [{ dimension: "browser", op: "is", value: browserName }]);
    await chips.first().locator(".chip-remove").click();
    await page.waitForURL((u) => ![...u.searchParams.keys()].some((k) => k.startsWith("f.")));
    expect(await chips.count()).toBe(0);
    await expectKpis(lastDays(30));
  });

  it("changes the range, then goes back and forward through it with the browser's history", async () => {
    await open(`/sites/${SHOP}`);
    const period = page.locator("[data-testid=period]");
    expect(await period.textContent()).toContain("Last 30 days");
    await expectKpis(lastDays(30));

    await period.click();
    await page.getByRole("menuitem", { name: "Last 7 days" }).click();
    await page.waitForURL((u) => u.searchParams.get("period") === "7d");
    expect(await period.textContent()).toContain("Last 7 days");
    await expectKpis(lastDays(7));
    expect(await page.locator("[data-testid=timeseries]").getAttribute("data-points")).toBe("7");

    // A custom range, typed into the form.
    const custom = { from: daysAgo(20), to: daysAgo(11) };
    await period.click();
    await page.getByRole("menuitem", { name: "Custom range" }).click();
    await page.locator("input[name=from]").fill(custom.from);
    await page.locator("input[name=to]").fill(custom.to);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((u) => u.searchParams.get("period") === "custom");
    expect(new URL(page.url()).searchParams.get("from")).toBe(custom.from);
    expect(new URL(page.url()).searchParams.get("to")).toBe(custom.to);
    await expectKpis(custom);
    expect(await page.locator("[data-testid=timeseries]").getAttribute("data-points")).toBe("10");
    // A past range has no partial bucket.
    expect(await page.locator("[data-testid=partial-bucket]").count()).toBe(0);

    // The arrow steps to the period before, of the same length.
    await page.getByRole("link", { name: "Previous period" }).click();
    await page.waitForURL((u) => u.searchParams.get("to") === daysAgo(21));
    await expectKpis({ from: daysAgo(30), to: daysAgo(21) });

    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get("to") === custom.to);
    await expectKpis(custom);
    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get("period") === "7d");
    expect(await period.textContent()).toContain("Last 7 days");
    await expectKpis(lastDays(7));
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has("period"));
    expect(await period.textContent()).toContain("Last 30 days");
    await expectKpis(lastDays(30));
    await page.goForward();
    await page.waitForURL((u) => u.searchParams.get("period") === "7d");
    await expectKpis(lastDays(7));
    await page.goForward();
    await page.waitForURL((u) => u.searchParams.get("period") === "custom");
    await expectKpis(custom);
  });

  it("compares with the previous period: the comparison line, and each card's change as the API's", async () => {
    await open(`/sites/${SHOP}?period=7d`);
    await page.locator("select[name=compare]").selectOption("previous_period");
    await page.waitForURL((u) => u.searchParams.get("compare") === "previous_period");
    await settled(page);
    await page.locator("[data-testid=comparison-line]").waitFor();
    const res = await d.query({
      ...range(lastDays(7)),
      metrics: KPIS.map(([, m]) => m),
      compare: "previous_period",
    });
    expect(res.comparison?.from).toBe(daysAgo(13));
    expect(res.comparison?.to).toBe(daysAgo(7));
    const now = res.rows[0] ?? {};
    const before = res.comparison?.rows[0] ?? {};
    await expect.poll(() => readKpis(page)).toEqual(kpisOf(now));
    for (const [key, metric] of KPIS) {
      const points = key === "bounce_rate";
      const a = Number(now[metric]);
      const b = Number(before[metric]);
      const change = points ? Math.round(a - b) : Math.round(((a - b) / b) * 100);
      const expected = `${change > 0 ? "↑" : change < 0 ? "↓" : ""}${Math.abs(change)}${points ? " pt" : "%"}`;
      const card = page.locator(".kpi", { has: page.locator(`[data-testid=kpi-${key}]`) });
      expect(await card.locator(".delta").textContent(), key).toBe(expected);
      // Up is good, except for the bounce rate.
      const good = change === 0 ? null : change > 0 !== points;
      const cls = (await card.locator(".delta").getAttribute("class")) ?? "";
      if (good !== null) expect(cls, key).toContain(good ? "delta-good" : "delta-bad");
    }

    // A year earlier the demo had no traffic: the line is flat at 0 and counts show no change.
    await page.locator("select[name=compare]").selectOption("year_earlier");
    await page.waitForURL((u) => u.searchParams.get("compare") === "year_earlier");
    await settled(page);
    // Flat at 0, the line has no height: attached, not "visible".
    await page.locator("[data-testid=comparison-line]").waitFor({ state: "attached" });
    const earlier = await d.query({
      ...range(lastDays(7)),
      metrics: ["visitors"],
      compare: "year_earlier",
    });
    expect(Number(earlier.comparison?.rows[0]?.visitors ?? 0)).toBe(0);
    const visitorsCard = page.locator(".kpi", { has: page.locator("[data-testid=kpi-visitors]") });
    expect(await visitorsCard.locator(".delta").count()).toBe(0);

    await page.locator("select[name=compare]").selectOption("");
    await page.waitForURL((u) => !u.searchParams.has("compare"));
    await settled(page);
    expect(await page.locator("[data-testid=comparison-line]").count()).toBe(0);
  });

  it("opens every other page from the page bar, each showing the API's numbers", async () => {
    await open(`/sites/${SHOP}`);
    const nav = page.getByRole("navigation", { name: "Reports" });
    const range30 = range(lastDays(30));

    // Realtime: the visitors of the last five minutes (a sliding window, so polled together).
    await nav.getByRole("link", { name: "Realtime" }).click();
    await page.waitForURL(/\/realtime/);
    const live = page.locator("[data-testid=realtime-visitors]");
    await expect
      .poll(
        async () => {
          const api = await d.report<{ visitors: number }>("realtime", { sites: [SHOP] });
          return (await live.getAttribute("data-value")) === String(api.visitors);
        },
        { timeout: 25_000 },
      )
      .toBe(true);
    expect(await page.locator("[data-testid=timeseries]").getAttribute("data-points")).toBe("31");

    // Funnels: two steps typed into the form.
    await nav.getByRole("link", { name: "Funnels" }).click();
    await page.waitForURL(/\/funnels/);
    await page.getByLabel("Step 1 page path").fill("/");
    await page.getByLabel("Step 2 page path").fill("/cart");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((u) => u.searchParams.has("x.steps"));
    await settled(page);
    const funnel = await d.report<{ steps: { name: string; visitors: number }[] }>("funnel", {
      ...range30,
      window: 86_400,
      steps: [{ page: "/" }, { page: "/cart" }],
    });
    const steps = page.locator("[data-testid=funnel-step]");
    await steps.first().waitFor();
    expect(await steps.count()).toBe(2);
    expect(Number(funnel.steps[1]?.visitors)).toBeGreaterThan(0);
    for (const [i, s] of funnel.steps.entries())
      expect(await steps.nth(i).getAttribute("data-value")).toBe(String(s.visitors));

    // Retention: each weekly cohort's size.
    await nav.getByRole("link", { name: "Retention" }).click();
    await page.waitForURL(/\/retention/);
    const grid = page.locator("[data-testid=retention-grid]");
    await grid.waitFor();
    await settled(page);
    const retention = await d.report<{ cohorts: { visitors: number }[] }>("retention", {
      ...range30,
      period: "week",
    });
    expect(retention.cohorts.length).toBeGreaterThan(3);
    const sizes = (await grid.locator("tbody tr td:nth-of-type(1)").allTextContents()).map((t) =>
      Number(t.replaceAll(",", "")),
    );
    expect(sizes).toEqual(retention.cohorts.map((c) => c.visitors));

    // Journeys: the paths after the most visited page, and the sankey.
    await nav.getByRole("link", { name: "Journeys" }).click();
    await page.waitForURL(/\/journeys/);
    await page.locator("[data-testid=sankey]").waitFor();
    await settled(page);
    const journeys = await d.report<{ paths: { pages: string[]; sessions: number }[] }>(
      "journeys",
      { ...range30, page: "/", direction: "after", steps: 3, limit: 25 },
    );
    const paths = page.locator("[data-testid=journey-path]");
    expect(journeys.paths.length).toBeGreaterThan(0);
    expect(await paths.count()).toBe(journeys.paths.length);
    const firstPath = journeys.paths[0];
    // The API's path starts with the page itself; shown once, not twice. A path shorter than the
    // steps asked for ended there: it reads as leaving the site.
    expect(firstPath?.pages[0]).toBe("/");
    const pages = firstPath?.pages ?? [];
    const ended = pages.length < 3 + 1;
    expect(await paths.first().locator("th").textContent()).toBe(
      [...pages, ...(ended ? ["(left the site)"] : [])].join(" → "),
    );
    expect(await paths.locator("th", { hasText: /^\/ → \/( |$)/ }).count()).toBe(0);
    expect(await paths.first().locator("td").textContent()).toBe(
      (firstPath?.sessions ?? 0).toLocaleString("en"),
    );

    // Errors: the demo's groups and the two seeded ones; resolving one moves it to Resolved.
    await nav.getByRole("link", { name: "Errors" }).click();
    await page.waitForURL(/\/errors/);
    const errorRows = page.locator("[data-testid=error-row]");
    await errorRows.first().waitFor();
    await settled(page);
    const unresolved = await d.report<{ errors: unknown[] }>("errors", range30);
    expect(unresolved.errors.length).toBeGreaterThanOrEqual(2);
    expect(await errorRows.count()).toBe(unresolved.errors.length);
    const cart = errorRows.filter({ hasText: "reading 'items'" });
    expect(await cart.locator("td").first().textContent()).toBe("3");
    await cart.getByRole("button", { name: "Resolve" }).click();
    await expect.poll(() => errorRows.count()).toBe(unresolved.errors.length - 1);
    const resolved = await d.report<{ errors: { fingerprint: string }[] }>("errors", {
      ...range30,
      state: "resolved",
    });
    expect(resolved.errors.map((e) => e.fingerprint)).toEqual(["e2ecart01"]);
    await page.getByRole("tab", { name: "Resolved", exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get("x.state") === "resolved");
    await settled(page);
    expect(await errorRows.count()).toBe(1);

    // Web vitals: the p75 of each as the API computes it.
    await nav.getByRole("link", { name: "Web vitals" }).click();
    await page.waitForURL(/\/vitals/);
    await page.locator("[data-testid=vital-LCP]").waitFor();
    await settled(page);
    const vitals = await d.report<{ metrics: { metric: string; p75: number | null }[] }>(
      "web-vitals",
      range30,
    );
    for (const m of vitals.metrics)
      expect(
        await page.locator(`[data-testid=vital-${m.metric}]`).getAttribute("data-value"),
        m.metric,
      ).toBe(m.p75 === null ? "" : String(m.p75));

    // And back to the dashboard, which kept the period.
    await nav.getByRole("link", { name: "Dashboard" }).click();
    await page.waitForURL((u) => u.pathname === `/sites/${SHOP}`);
    await expectKpis(lastDays(30));
  });

  it("threw no error in the page", () => {
    expect(pageErrors).toEqual([]);
  });
});
