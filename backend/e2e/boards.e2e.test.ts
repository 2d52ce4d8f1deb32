import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axe, severe, type Violation } from "./axe.ts";
import { launchChromium } from "./browser.ts";
import {
  DESKTOP,
  type DemoStack,
  ensureScreenshotDir,
  type Filter,
  lastDays,
  PHONE,
  REPO_ROOT,
  type Row,
  SHOP,
  settled,
  signedInContext,
  startDemoStack,
  WIDGET_MARKS,
  WIDGETS_DRAWN,
} from "./dashboard-stack.ts";
import { api, eventually } from "./process.ts";

// Custom dashboards (issue 14) in Debian's Chromium on demo data: a dashboard built from nothing
// through the builder, its numbers against the query API, reload, drag and resize, the viewer's
// filter and period (never saved), undo, history, export and import, a stale write, a screenshot
// of every visual type in both themes and on a phone, and axe-core on every boards view.
// The tests run in order and share one page and one dashboard.

let d: DemoStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  [d, browser] = await Promise.all([startDemoStack(), launchChromium()]);
  context = await signedInContext(browser, d.token);
  page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await d?.close();
});

// --- The API's view -------------------------------------------------------------------------

interface Spec {
  sites: string[];
  from: string;
  to: string;
  tz: string;
  metrics: unknown[];
  dimensions?: string[];
  filters?: Filter[];
  granularity?: string;
  limit?: number;
  compare?: string;
}
interface StoredWidget {
  id: string;
  name: string;
  source:
    | { kind: "query"; spec: Spec }
    | { kind: "funnel" | "retention" | "journeys"; body: Record<string, unknown> }
    | { kind: "none" };
  visual: { type: string; options?: Record<string, unknown> };
  range?: { period: string };
}
interface LayoutItem {
  widget: string;
  x: number;
  y: number;
  w: number;
  h: number;
}
interface Board {
  id: string;
  name: string;
  description: string;
  sites: string[];
  widgets: StoredWidget[];
  layout: LayoutItem[];
  defaults: unknown;
  version: number;
  updatedAt: string;
}

const path = (id: string) => `/api/v1/dashboards/${encodeURIComponent(id)}`;

async function getBoard(id: string): Promise<Board> {
  const res = await api<Board>(d.url, path(id), { token: d.token });
  if (res.status !== 200) throw new Error(`GET ${path(id)} answered ${res.status}`);
  return res.body;
}

/** A write to a dashboard as another client would make it: If-Match with the version it read. */
async function write<T>(method: string, url: string, version: number, body?: object) {
  return api<T>(d.url, url, {
    method,
    token: d.token,
    headers: { "if-match": `"${version}"` },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

/** Waits until the dashboard's version has passed `version`; the dashboard then. */
function nextVersion(id: string, version: number): Promise<Board> {
  return eventually(
    async () => {
      const b = await getBoard(id);
      return b.version > version ? b : undefined;
    },
    15_000,
    `a version of ${id} after ${version}`,
  );
}

const specOf = (w: StoredWidget | undefined): Spec => {
  if (w?.source.kind !== "query") throw new Error(`${w?.name} has no query`);
  return w.source.spec;
};
const bodyOf = (w: StoredWidget | undefined): Record<string, unknown> => {
  if (!w || w.source.kind === "query" || w.source.kind === "none")
    throw new Error(`${w?.name} has no report body`);
  return w.source.body;
};
const named = (b: Board, name: string): StoredWidget => {
  const w = b.widgets.find((x) => x.name === name);
  if (!w) throw new Error(`no widget "${name}" in ${b.widgets.map((x) => x.name).join(", ")}`);
  return w;
};
/** A widget as stored, less its id (which an import or a replace gives anew). */
const content = ({ id: _id, ...rest }: StoredWidget) => rest;
/** The layout by widget name, to compare dashboards whose widget ids differ. */
const layoutByName = (b: Board) =>
  Object.fromEntries(
    b.layout.map(({ widget, ...at }) => [b.widgets.find((w) => w.id === widget)?.name, at]),
  );

/**
 * The spec the viewer's dashboard sends for a stored query widget (frontend/src/boards/viewer.ts):
 * the viewer's range and filters on top, a number without its time bucket, the comparison for
 * widgets that ask for one.
 */
function drawnSpec(w: StoredWidget, r: { from: string; to: string }, filters: Filter[] = []) {
  const { granularity, ...spec } = specOf(w);
  const all = [...(spec.filters ?? []), ...filters];
  return {
    ...spec,
    from: r.from,
    to: r.to,
    ...(all.length ? { filters: all } : {}),
    ...(granularity && w.visual.type !== "number" ? { granularity } : {}),
    ...(w.visual.options?.comparison && !spec.compare ? { compare: "previous_period" } : {}),
  };
}

function drawnBody(w: StoredWidget, r: { from: string; to: string }, filters: Filter[] = []) {
  const body = bodyOf(w);
  const all = [...((body.filters as Filter[] | undefined) ?? []), ...filters];
  return { ...body, from: r.from, to: r.to, ...(all.length ? { filters: all } : {}) };
}

const funnelVisitors = async (body: object) =>
  (await d.report<{ steps: { visitors: number }[] }>("funnel", body)).steps.map((s) => s.visitors);

// --- The page's view ------------------------------------------------------------------------

interface Drawn {
  widget: string | null;
  type: string | null;
  name: string | null;
  number: string | null;
  delta: string | null;
  points: string | null;
  comparison: boolean;
  countries: string | null;
  funnel: number[];
  rows: { label: string; values: number[] }[];
  error: string | null;
}

/** What each widget under `root` shows: its numbers, rows and marks, as data attributes say. */
const READ = (root: string) => `[...document.querySelectorAll(${JSON.stringify(root)})].map((s) => {
  const q = (sel) => s.querySelector(sel);
  const all = (sel) => [...s.querySelectorAll(sel)];
  const item = s.closest("[data-testid=grid-item]");
  return {
    widget: item ? item.dataset.widget : null,
    type: s.dataset.type ?? null,
    name: q(".widget-head h2")?.textContent ?? null,
    number: q("[data-testid=widget-number]")?.dataset.value ?? null,
    delta: q(".number-visual .delta")?.textContent ?? null,
    points: q("svg[data-testid=timeseries]")?.getAttribute("data-points") ?? null,
    comparison: q("[data-testid=comparison-line]") !== null,
    countries: q("[data-testid=world-map]")?.dataset.countries ?? null,
    funnel: all("[data-testid=funnel-step]").map((e) => Number(e.dataset.value)),
    rows: all("table.details-table tbody tr").map((tr) => ({
      label: tr.querySelector("td")?.textContent ?? "",
      values: [...tr.querySelectorAll("td[data-value]")].map((td) => Number(td.dataset.value)),
    })),
    error: q(".notice-error")?.textContent ?? null,
  };
})`;

const readWidgets = (root = "section[data-testid=widget]"): Promise<Drawn[]> =>
  page.evaluate(READ(root));
const readPreview = async (): Promise<Drawn | undefined> =>
  (await readWidgets("dialog[open] [data-testid=widget-preview]"))[0];
async function readWidget(name: string): Promise<Drawn> {
  const found = (await readWidgets()).find((w) => w.name === name);
  if (!found) throw new Error(`no widget "${name}" on the page`);
  return found;
}

async function drawn(n: number): Promise<void> {
  await page.waitForFunction(WIDGETS_DRAWN(n), undefined, { timeout: 30_000, polling: 100 });
  await settled(page);
}

/** Opens a dashboard and waits until its `n` widgets have drawn their data. */
async function openBoard(id: string, n: number, query = ""): Promise<void> {
  await page.goto(`${d.url}/boards/${encodeURIComponent(id)}${query}`);
  await page.locator("[data-testid=board-name]").waitFor();
  await drawn(n);
}

const dialog = () => page.locator("dialog[open]");
const widgetSection = (name: string) =>
  page.locator(`section[data-testid=widget][aria-label=${JSON.stringify(name)}]`);
const gridItem = (id: string) =>
  page.locator(`[data-testid=grid-item][data-widget=${JSON.stringify(id)}]`);

/** "+ Add widget", then a gallery template: the editor opens with it. */
async function startWidget(template: string): Promise<void> {
  await page.getByRole("button", { name: "+ Add widget" }).click();
  await dialog().locator(`[data-testid=template-gallery] [data-template=${template}]`).click();
  await dialog().locator("#w-name").waitFor();
}

/** "Save widget": the dialog closes and the dashboard has a new version with the widget. */
async function saveWidget(id: string): Promise<Board> {
  const before = await getBoard(id);
  await dialog().getByRole("button", { name: "Save widget" }).click();
  await dialog().waitFor({ state: "detached" });
  return nextVersion(id, before.version);
}

/** Adds a metric with the builder's "Metric to add" and "+ Metric", then removes another. */
async function swapMetric(add: string, removeLabel: string): Promise<void> {
  await dialog().locator('select[aria-label="Metric to add"]').selectOption(add);
  await dialog().getByRole("button", { name: "+ Metric" }).click();
  await dialog()
    .getByRole("button", { name: `Remove ${removeLabel}`, exact: true })
    .click();
}

const poll = <T>(fn: () => Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout });

/**
 * Table rows as shown are the API's: the same values in the same order, and each label one the
 * API gives that value to (rows with equal values may come in either order).
 */
function expectRows(
  shown: { label: string; values: number[] }[],
  api: Row[],
  dimension: string,
  metrics: string[],
  label: (v: string) => string = (v) => v,
) {
  const expected = api.map((r) => ({
    label: label(String(r[dimension] ?? "")),
    values: metrics.map((m) => Number(r[m])),
  }));
  expect(shown.length).toBe(Math.min(10, expected.length));
  expect(shown.map((s) => s.values)).toEqual(expected.slice(0, shown.length).map((e) => e.values));
  for (const s of shown) {
    const same = expected.filter((e) => e.values[0] === s.values[0]).map((e) => e.label);
    expect(same, `"${s.label}" with ${s.values[0]}`).toContain(s.label);
  }
}

/**
 * The grid as drawn, in layout units (react-grid-layout: 12 columns, rows of 44 px, 16 px gaps),
 * measured in one go so that a scroll bar coming or going cannot fall between two readings.
 */
async function renderedLayout(): Promise<LayoutItem[]> {
  const items = await page.evaluate<LayoutItem[]>(`(() => {
    const grid = document.querySelector(".react-grid-layout");
    if (!grid) return [];
    const g = grid.getBoundingClientRect();
    const col = (g.width + 16) / 12;
    const row = 44 + 16;
    return [...grid.querySelectorAll("[data-testid=grid-item]")].map((item) => {
      const b = item.getBoundingClientRect();
      return {
        widget: item.dataset.widget,
        x: Math.round((b.x - g.x) / col),
        y: Math.round((b.y - g.y) / row),
        w: Math.round((b.width + 16) / col),
        h: Math.round((b.height + 16) / row),
      };
    });
  })()`);
  return items.sort((a, b) => a.widget.localeCompare(b.widget));
}
const sortedLayout = (b: Board) => [...b.layout].sort((a, c) => a.widget.localeCompare(c.widget));

function overlaps(layout: LayoutItem[]): string[] {
  const out: string[] = [];
  for (const [i, a] of layout.entries())
    for (const b of layout.slice(i + 1))
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
        out.push(`${a.widget} and ${b.widget}`);
  return out;
}

/** Drags the mouse from the middle of `from` by (dx, dy) px, in small steps as a hand would. */
async function dragBy(from: { x: number; y: number }, dx: number, dy: number): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + dx / 2, from.y + dy / 2, { steps: 8 });
  await page.mouse.move(from.x + dx, from.y + dy, { steps: 8 });
  await page.mouse.up();
}

// --- The suite ------------------------------------------------------------------------------

const KPI = "Pageviews KPI";
const LINE = "Visitors by week";
const MAP = "Where visitors come from";
const FUNNEL = "Home to cart";
const TABLE = "Browsers";
const range30 = () => ({ sites: [SHOP], ...lastDays(30), tz: "UTC" });

let boardId = "";
/** The built dashboard as stored once built, for the checks that it did not change. */
let built: Board;

describe("custom dashboards in the browser", () => {
  it("builds a dashboard from nothing through the builder, each preview following its choices", async () => {
    await page.goto(`${d.url}/boards`);
    await page.getByText("No custom dashboards yet").waitFor();
    await page.getByLabel("For").selectOption(SHOP);
    await page.getByRole("button", { name: "New dashboard" }).click();
    await page.waitForURL(/\/boards\/[\w-]+\?.*edit=1/);
    boardId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2] ?? "");
    const empty = await getBoard(boardId);
    expect(empty).toMatchObject({ name: "New dashboard", sites: [SHOP], widgets: [], layout: [] });
    await page.getByText("This dashboard has no widgets yet.").waitFor();

    // A KPI: the number template (visitors), changed to pageviews and renamed.
    const totals = (await d.query({ ...range30(), metrics: ["visitors", "pageviews"] })).rows[0];
    await startWidget("number");
    expect(await dialog().locator("#w-name").inputValue()).toBe("Unique visitors");
    await poll(async () => (await readPreview())?.number).toBe(String(Number(totals?.visitors)));
    // Visuals that do not fit the data are disabled, saying why.
    const pie = dialog().locator("button[data-visual=pie]");
    expect(await pie.isDisabled()).toBe(true);
    expect(await pie.getAttribute("title")).toMatch(/takes no time bucket/);
    expect(await dialog().locator("button[data-visual=number]").getAttribute("aria-pressed")).toBe(
      "true",
    );
    await swapMetric("pageviews", "Visitors");
    expect(await dialog().locator("[data-testid=metric-row]").allTextContents()).toEqual([
      "Pageviews×",
    ]);
    await dialog().locator("#w-name").fill(KPI);
    await poll(async () => {
      const p = await readPreview();
      return [p?.name, p?.number];
    }).toEqual([KPI, String(Number(totals?.pageviews))]);
    let board = await saveWidget(boardId);
    const kpi = named(board, KPI);
    expect(kpi.visual).toEqual({ type: "number", options: { comparison: true } });
    expect(specOf(kpi)).toMatchObject({ sites: [SHOP], metrics: ["pageviews"], tz: "UTC" });
    await widgetSection(KPI).locator("[data-testid=widget-number]").waitFor();

    // A line with its comparison: by day, then by week.
    await startWidget("line");
    await poll(async () => {
      const p = await readPreview();
      return [p?.points, p?.comparison];
    }).toEqual(["30", true]);
    const weeks = await d.query({ ...range30(), metrics: ["visitors"], granularity: "week" });
    await dialog().locator("#w-granularity").selectOption("week");
    await dialog().locator("#w-name").fill(LINE);
    await poll(async () => {
      const p = await readPreview();
      return [p?.name, p?.points, p?.comparison];
    }).toEqual([LINE, String(weeks.rows.length), true]);
    expect(
      await dialog()
        .getByLabel(/^Compare with the viewer's comparison/)
        .isChecked(),
    ).toBe(true);
    board = await saveWidget(boardId);
    expect(specOf(named(board, LINE)).granularity).toBe("week");
    expect(named(board, LINE).visual.options?.comparison).toBe(true);

    // A world map: tried as a table first, then back to the map.
    const countries = await d.query({
      ...range30(),
      dimensions: ["country"],
      metrics: ["visitors"],
      limit: 250,
    });
    await startWidget("map");
    await poll(async () => (await readPreview())?.countries).toBe(String(countries.rows.length));
    await dialog().locator("button[data-visual=table]").click();
    await poll(async () => {
      const p = await readPreview();
      return [p?.countries ?? null, p?.rows.length];
    }).toEqual([null, 10]);
    expect((await readPreview())?.rows[0]?.values[0]).toBe(Number(countries.rows[0]?.visitors));
    await dialog().locator("button[data-visual=map]").click();
    await dialog().locator("#w-name").fill(MAP);
    await poll(async () => (await readPreview())?.countries).toBe(String(countries.rows.length));
    board = await saveWidget(boardId);
    expect(named(board, MAP).visual.type).toBe("map");

    // A funnel: the template's home page → signup, its second step changed to the cart page.
    const funnelBody = { ...range30(), window: 86_400 };
    const toSignup = await funnelVisitors({
      ...funnelBody,
      steps: [{ page: "/" }, { event: "signup" }],
    });
    const toCart = await funnelVisitors({
      ...funnelBody,
      steps: [{ page: "/" }, { page: "/cart" }],
    });
    expect(toCart[1]).toBeGreaterThan(0);
    expect(toCart).not.toEqual(toSignup);
    await startWidget("funnel");
    await poll(async () => (await readPreview())?.funnel).toEqual(toSignup);
    await dialog().getByLabel("Step 2 kind").selectOption("page");
    await dialog().getByLabel("Step 2 value").fill("/cart");
    await dialog().locator("#w-name").fill(FUNNEL);
    await poll(async () => (await readPreview())?.funnel).toEqual(toCart);
    board = await saveWidget(boardId);
    expect(bodyOf(named(board, FUNNEL)).steps).toEqual([{ page: "/" }, { page: "/cart" }]);

    // A table: top pages, broken down by browser instead, without the bounce rate.
    await startWidget("table");
    await poll(async () => (await readPreview())?.rows.length).toBe(10);
    await dialog().locator('select[aria-label="Break down by"]').selectOption("browser");
    await dialog().getByRole("button", { name: "Remove Bounce rate", exact: true }).click();
    await dialog().locator("#w-name").fill(TABLE);
    const browsers = await d.query({
      ...range30(),
      dimensions: ["browser"],
      metrics: ["visitors", "pageviews"],
      limit: 100,
    });
    await poll(async () => (await readPreview())?.rows.map((r) => r.values.length)).toEqual(
      Array(Math.min(10, browsers.rows.length)).fill(2),
    );
    await settled(page);
    expectRows((await readPreview())?.rows ?? [], browsers.rows, "browser", [
      "visitors",
      "pageviews",
    ]);
    expect(
      await dialog().locator("[data-testid=widget-preview] thead th").allTextContents(),
    ).toEqual(["Browser", "Visitors", "Pageviews"]);
    board = await saveWidget(boardId);
    expect(specOf(named(board, TABLE))).toMatchObject({
      dimensions: ["browser"],
      metrics: ["visitors", "pageviews"],
    });

    // Five widgets on the grid, one layout entry each, none over another.
    await drawn(5);
    expect((await readWidgets()).map((w) => w.type)).toEqual([
      "number",
      "line",
      "map",
      "funnel",
      "table",
    ]);
    expect(board.widgets.map((w) => w.name)).toEqual([KPI, LINE, MAP, FUNNEL, TABLE]);
    expect(board.layout.map((l) => l.widget).sort()).toEqual(board.widgets.map((w) => w.id).sort());
    expect(overlaps(board.layout)).toEqual([]);
    await poll(() => renderedLayout()).toEqual(sortedLayout(board));
    built = board;
  });

  it("draws each widget's numbers as the query API answers its stored spec over the viewer's range", async () => {
    await drawn(5);
    const r = lastDays(30);
    const kpi = named(built, KPI);
    const kpiApi = await d.query(drawnSpec(kpi, r));
    const now = Number(kpiApi.rows[0]?.pageviews);
    const before = Number(kpiApi.comparison?.rows[0]?.pageviews);
    const shown = await readWidget(KPI);
    expect(shown.number).toBe(String(now));
    // The change against the previous period, as the number widget words it.
    const change = before === 0 ? null : Math.round(((now - before) / before) * 100) || 0;
    expect(shown.delta).toBe(
      change === null
        ? null
        : `${change > 0 ? "↑" : change < 0 ? "↓" : ""}${Math.abs(change)}% vs previous period`,
    );

    const table = named(built, TABLE);
    const tableApi = await d.query(drawnSpec(table, r));
    expectRows((await readWidget(TABLE)).rows, tableApi.rows, "browser", ["visitors", "pageviews"]);

    const line = await d.query(drawnSpec(named(built, LINE), r));
    expect(await readWidget(LINE)).toMatchObject({
      points: String(line.rows.length),
      comparison: true,
    });
    const map = await d.query(drawnSpec(named(built, MAP), r));
    expect((await readWidget(MAP)).countries).toBe(String(map.rows.length));
    expect((await readWidget(FUNNEL)).funnel).toEqual(
      await funnelVisitors(drawnBody(named(built, FUNNEL), r)),
    );
  });

  it("is the same dashboard after Done and a reload: as stored and as drawn", async () => {
    const before = await readWidgets();
    await page.getByRole("button", { name: "Done" }).click();
    await page.waitForURL((u) => !u.searchParams.has("edit"));
    expect(await page.getByRole("button", { name: "+ Add widget" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: `Delete ${KPI}` }).count()).toBe(0);
    await page.reload();
    await page.locator("[data-testid=board-name]").waitFor();
    await drawn(5);
    expect(await page.locator("[data-testid=board-name]").textContent()).toBe("New dashboard");
    expect(await readWidgets()).toEqual(before);
    // Opening and viewing wrote nothing.
    expect(await getBoard(boardId)).toEqual(built);
    expect(await renderedLayout()).toEqual(sortedLayout(built));
  });

  it("moves a widget by its handle and resizes another; the layout is stored and kept on reload", async () => {
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get("edit") === "1");
    const grid = await page.locator(".board-grid").boundingBox();
    if (!grid) throw new Error("no grid");
    const col = (grid.width + 16) / 12;
    const row = 60;
    const at = (b: Board, name: string) => {
      const id = named(b, name).id;
      const l = b.layout.find((x) => x.widget === id);
      if (!l) throw new Error(`${name} has no layout`);
      return l;
    };

    // The table, six columns to the left or right.
    const table = at(built, TABLE);
    const dx = table.x >= 6 ? -6 : 6;
    const drag = gridItem(table.widget).locator("span.widget-drag");
    await drag.scrollIntoViewIfNeeded();
    const handle = await drag.boundingBox();
    if (!handle) throw new Error("no drag handle");
    await dragBy({ x: handle.x + handle.width / 2, y: handle.y + handle.height / 2 }, dx * col, 0);
    let board = await nextVersion(boardId, built.version);
    expect(at(board, TABLE).x).toBe(table.x + dx);
    expect(at(board, TABLE).w).toBe(table.w);

    // The map, two columns wider and two rows taller.
    const map = at(board, MAP);
    const corner = gridItem(map.widget).locator(".react-resizable-handle");
    await corner.scrollIntoViewIfNeeded();
    const resize = await corner.boundingBox();
    if (!resize) throw new Error("no resize handle");
    await dragBy(
      { x: resize.x + resize.width / 2, y: resize.y + resize.height / 2 },
      2 * col,
      2 * row,
    );
    board = await nextVersion(boardId, board.version);
    expect(at(board, MAP)).toMatchObject({ x: map.x, y: map.y, w: map.w + 2, h: map.h + 2 });
    expect(overlaps(board.layout)).toEqual([]);
    // Only the layout changed.
    expect(board.widgets).toEqual(built.widgets);
    await poll(() => renderedLayout()).toEqual(sortedLayout(board));

    await page.reload();
    await page.locator("[data-testid=board-name]").waitFor();
    await drawn(5);
    expect(await getBoard(boardId)).toEqual(board);
    await poll(() => renderedLayout()).toEqual(sortedLayout(board));
    built = board;
  });

  it("applies the viewer's filter and period to every widget and saves neither into a widget", async () => {
    await page.getByRole("button", { name: "Done" }).click();
    await page.waitForURL((u) => !u.searchParams.has("edit"));
    const r30 = lastDays(30);
    const r7 = lastDays(7);
    const unfiltered = (await readWidget(KPI)).number;
    // The second country by visitors, so that the filter changes every number.
    const countries = await d.query({
      ...range30(),
      dimensions: ["country"],
      metrics: ["visitors"],
      sort: [{ by: "visitors", dir: "desc" }],
      limit: 2,
    });
    const country = String(countries.rows[1]?.country ?? "");
    expect(country).toMatch(/^[A-Z]{2}$/);
    const byCountry: Filter[] = [{ dimension: "country", op: "is", value: country }];

    await page.getByRole("button", { name: "+ Filter" }).click();
    await page.locator("#filter-dimension").selectOption("country");
    await page.locator("#filter-op").selectOption("is");
    await page.locator("#filter-value").fill(country);
    await page.getByRole("button", { name: "Apply filter" }).click();
    await page.waitForURL((u) => u.searchParams.get("f.is.country") === country);
    expect(await page.locator("[data-testid=filter-chip]").count()).toBe(1);

    const expectDrawn = async (r: { from: string; to: string }) => {
      const kpi = await d.query(drawnSpec(named(built, KPI), r, byCountry));
      await poll(async () => {
        await settled(page);
        return (await readWidget(KPI)).number;
      }).toBe(String(Number(kpi.rows[0]?.pageviews)));
      await settled(page);
      const table = await d.query(drawnSpec(named(built, TABLE), r, byCountry));
      expectRows((await readWidget(TABLE)).rows, table.rows, "browser", ["visitors", "pageviews"]);
      // The map has only that country left.
      expect((await readWidget(MAP)).countries).toBe("1");
      expect((await readWidget(FUNNEL)).funnel).toEqual(
        await funnelVisitors(drawnBody(named(built, FUNNEL), r, byCountry)),
      );
      const line = await d.query(drawnSpec(named(built, LINE), r, byCountry));
      expect((await readWidget(LINE)).points).toBe(String(line.rows.length));
      return kpi;
    };
    const filtered30 = await expectDrawn(r30);
    expect(String(Number(filtered30.rows[0]?.pageviews))).not.toBe(unfiltered);

    await page.locator("[data-testid=period]").click();
    await page.getByRole("menuitem", { name: "Last 7 days" }).click();
    await page.waitForURL(
      (u) => u.searchParams.get("period") === "7d" && u.searchParams.has("f.is.country"),
    );
    const filtered7 = await expectDrawn(r7);
    expect(Number(filtered7.rows[0]?.pageviews)).toBeLessThan(
      Number(filtered30.rows[0]?.pageviews),
    );

    // Nothing of the viewer's choices was written.
    expect(await getBoard(boardId)).toEqual(built);

    // Nor is it when a widget is edited under them: only the name changes.
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get("edit") === "1");
    expect(new URL(page.url()).searchParams.get("f.is.country")).toBe(country);
    await page.getByRole("button", { name: `Edit ${KPI}` }).click();
    await dialog().locator("#w-name").waitFor();
    // The preview draws under the viewer's choices too.
    await poll(async () => (await readPreview())?.number).toBe(
      String(Number(filtered7.rows[0]?.pageviews)),
    );
    await dialog().locator("#w-name").fill("Pageviews");
    const renamed = await saveWidget(boardId);
    expect(renamed.widgets).toEqual(
      built.widgets.map((w) => (w.name === KPI ? { ...w, name: "Pageviews" } : w)),
    );
    expect(renamed.layout).toEqual(built.layout);
    // And back, through the builder again, so the names below hold.
    await page.getByRole("button", { name: "Edit Pageviews" }).click();
    await dialog().locator("#w-name").fill(KPI);
    built = await saveWidget(boardId);
    expect(built.widgets).toEqual(
      renamed.widgets.map((w) => (w.name === "Pageviews" ? { ...w, name: KPI } : w)),
    );
    // The viewer's range for the rest: the dashboard's own default.
    await openBoard(boardId, 5, "?edit=1");
  });

  it("undoes a delete", async () => {
    const funnel = named(built, FUNNEL);
    const place = built.layout.find((l) => l.widget === funnel.id);
    await page.getByRole("button", { name: `Delete ${FUNNEL}` }).click();
    let board = await nextVersion(boardId, built.version);
    expect(board.widgets.map((w) => w.name)).toEqual([KPI, LINE, MAP, TABLE]);
    await drawn(4);
    expect(await widgetSection(FUNNEL).count()).toBe(0);

    await page.getByRole("button", { name: "Undo" }).click();
    board = await nextVersion(boardId, board.version);
    await drawn(5);
    expect(board.widgets.map(content)).toEqual(built.widgets.map(content));
    expect(layoutByName(board)).toEqual(layoutByName(built));
    const back = named(board, FUNNEL);
    expect(board.layout.find((l) => l.widget === back.id)).toMatchObject({
      x: place?.x,
      y: place?.y,
      w: place?.w,
      h: place?.h,
    });
    expect((await readWidget(FUNNEL)).funnel.length).toBe(2);
    // Nothing left to undo here.
    await poll(() => page.getByRole("button", { name: "Undo" }).isDisabled()).toBe(true);
    built = board;
  });

  it("restores an older version from the history, then the newer one again", async () => {
    const versions = await api<{ version: number; widgets: number }[]>(
      d.url,
      `${path(boardId)}/versions`,
      { token: d.token },
    );
    expect(versions.status).toBe(200);
    const one = versions.body.find((v) => v.widgets === 1);
    if (!one) throw new Error(`no version with one widget: ${JSON.stringify(versions.body)}`);
    const old = await api<Board>(d.url, `${path(boardId)}/versions/${one.version}`, {
      token: d.token,
    });
    expect(old.status).toBe(200);

    await page.getByRole("button", { name: "History" }).click();
    const rows = dialog().locator("[data-testid=version]");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(versions.body.length);
    expect(await rows.filter({ hasText: `Version ${built.version}` }).textContent()).toContain(
      "current",
    );
    await rows
      .filter({ hasText: new RegExp(`^Version ${one.version} `) })
      .getByRole("button", { name: "Restore" })
      .click();
    let board = await nextVersion(boardId, built.version);
    expect(board.widgets.map(content)).toEqual(old.body.widgets.map(content));
    expect(board.widgets.map((w) => w.name)).toEqual([KPI]);
    await drawn(1);

    await page.getByRole("button", { name: "History" }).click();
    await rows.first().waitFor();
    await rows
      .filter({ hasText: new RegExp(`^Version ${built.version} `) })
      .getByRole("button", { name: "Restore" })
      .click();
    board = await nextVersion(boardId, board.version);
    expect(board.widgets.map(content)).toEqual(built.widgets.map(content));
    expect(layoutByName(board)).toEqual(layoutByName(built));
    await drawn(5);
    built = board;
  });

  it("exports the dashboard and imports the file as a new dashboard with the same widgets", async () => {
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export" }).click();
    const file = await download;
    const saved = join(REPO_ROOT, "artifacts", "boards-export.json");
    mkdirSync(join(REPO_ROOT, "artifacts"), { recursive: true });
    await file.saveAs(saved);
    const doc = JSON.parse(readFileSync(saved, "utf8")) as {
      format: string;
      formatVersion: number;
      dashboard: Board;
    };
    expect(doc).toMatchObject({ format: "sightline-dashboard", formatVersion: 1 });
    const viaApi = await api<{ dashboard: Board }>(d.url, `${path(boardId)}/export`, {
      token: d.token,
    });
    expect(doc.dashboard).toEqual(viaApi.body.dashboard);

    await page.goto(`${d.url}/boards`);
    await page.locator("[data-testid=board-row]").first().waitFor();
    await page.locator("input[type=file]").setInputFiles(saved);
    await page.waitForURL(
      (u) => u.pathname.startsWith("/boards/") && !u.pathname.endsWith(`/${boardId}`),
    );
    const importedId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2] ?? "");
    await drawn(5);
    const imported = await getBoard(importedId);
    expect(imported.name).toBe(built.name);
    expect(imported.widgets.map(content)).toEqual(built.widgets.map(content));
    expect(layoutByName(imported)).toEqual(layoutByName(built));
    expect(
      imported.widgets.map((w) => w.id).filter((id) => built.layout.some((l) => l.widget === id)),
    ).toEqual([]);
    // Drawn the same, widget ids apart.
    const shown = (await readWidgets()).map(({ widget: _w, ...rest }) => rest);
    await openBoard(boardId, 5);
    expect((await readWidgets()).map(({ widget: _w, ...rest }) => rest)).toEqual(shown);
    expect(
      (await api<{ dashboards: unknown[] }>(d.url, "/api/v1/dashboards", { token: d.token })).body
        .dashboards,
    ).toHaveLength(2);
  });

  it("refuses a stale write: says someone else changed it and loses nothing of their change", async () => {
    await openBoard(boardId, 5, "?edit=1");
    const held = await getBoard(boardId);
    // Another client renames the dashboard and adds a note, behind the page's back.
    const renamed = await write<Board>("PUT", path(boardId), held.version, {
      name: "Renamed elsewhere",
      description: held.description,
      sites: held.sites,
      widgets: held.widgets,
      layout: held.layout,
      defaults: held.defaults,
    });
    expect(renamed.status).toBe(200);
    const noted = await write<Board>("POST", `${path(boardId)}/widgets`, renamed.body.version, {
      name: "Their note",
      source: { kind: "none" },
      visual: { type: "text", options: { markdown: "Added by someone else." } },
    });
    expect(noted.status).toBe(201);
    const theirs = noted.body;

    // The page still holds the older version: its change is refused, and it says so.
    await page.getByRole("button", { name: `Duplicate ${KPI}` }).click();
    await page
      .locator(".notice-error", { hasText: "Someone else changed this dashboard meanwhile" })
      .waitFor();
    expect(await getBoard(boardId)).toEqual(theirs);
    expect(theirs.widgets.filter((w) => w.name === KPI)).toHaveLength(1);
    // The refused change is not on the undo list.
    expect(await page.getByRole("button", { name: "Undo" }).isDisabled()).toBe(true);

    await page.reload();
    await page.locator("[data-testid=board-name]").waitFor();
    await drawn(6);
    expect(await page.locator("[data-testid=board-name]").textContent()).toBe("Renamed elsewhere");
    expect(
      await widgetSection("Their note").locator("[data-testid=widget-text]").textContent(),
    ).toContain("Added by someone else.");
    // Now up to date, the same change goes through.
    await page.getByRole("button", { name: `Duplicate ${KPI}` }).click();
    const after = await nextVersion(boardId, theirs.version);
    expect(after.widgets.map((w) => w.name)).toEqual([
      ...theirs.widgets.map((w) => w.name),
      `${KPI} (copy)`,
    ]);
    expect(after.name).toBe("Renamed elsewhere");
    built = after;
  });

  let allId = "";
  it("draws all 14 visual types, one widget from each template: screenshots in both themes and at phone width", async () => {
    const dir = join(ensureScreenshotDir(), "boards");
    mkdirSync(dir, { recursive: true });
    await page.goto(`${d.url}/boards`);
    await page.getByLabel("For").selectOption(SHOP);
    await page.getByRole("button", { name: "New dashboard" }).click();
    await page.waitForURL((u) => u.searchParams.get("edit") === "1");
    allId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2] ?? "");
    const types = Object.keys(WIDGET_MARKS);
    for (const type of types) {
      await startWidget(type);
      await saveWidget(allId);
    }
    const all = await getBoard(allId);
    expect(all.widgets.map((w) => w.visual.type).sort()).toEqual([...types].sort());
    expect(overlaps(all.layout)).toEqual([]);
    // Settings: a name for it.
    await page.getByRole("button", { name: "Settings" }).click();
    await dialog().locator("#board-name").fill("Every visual");
    await dialog().getByRole("button", { name: "Save", exact: true }).click();
    await nextVersion(allId, all.version);

    for (const theme of ["light", "dark"] as const) {
      const ctx = await signedInContext(browser, d.token, { theme, viewport: DESKTOP });
      const p = await ctx.newPage();
      p.on("pageerror", (e) => pageErrors.push(`${theme}: ${e.message}`));
      try {
        await p.goto(`${d.url}/boards/${allId}`);
        await p.waitForFunction(WIDGETS_DRAWN(14), undefined, { timeout: 30_000, polling: 100 });
        await settled(p);
        // Every widget drew its own kind of mark, none an error or an empty message.
        const states = (await p.evaluate(READ("section[data-testid=widget]"))) as Drawn[];
        expect(states.filter((s) => s.error)).toEqual([]);
        for (const type of types)
          expect(
            await p.locator(`section[data-type=${type}] ${WIDGET_MARKS[type]}`).count(),
            type,
          ).toBeGreaterThan(0);
        // ECharts fades its charts in.
        await p.waitForTimeout(1200);
        for (const type of types)
          await p
            .locator(`section[data-testid=widget][data-type=${type}]`)
            .screenshot({ path: join(dir, `${type}-${theme}.png`) });
        await p.screenshot({ path: join(dir, `every-visual-${theme}.png`), fullPage: true });
        await p.goto(`${d.url}/boards/${boardId}`);
        await p.waitForFunction(WIDGETS_DRAWN(7), undefined, { timeout: 30_000, polling: 100 });
        await settled(p);
        await p.waitForTimeout(600);
        await p.screenshot({ path: join(dir, `dashboard-${theme}.png`), fullPage: true });
      } finally {
        await ctx.close();
      }
    }

    // A phone (390 px): below 720 px the grid is one column.
    const phone = await signedInContext(browser, d.token, { viewport: PHONE });
    const p = await phone.newPage();
    p.on("pageerror", (e) => pageErrors.push(`phone: ${e.message}`));
    try {
      // Every visual fits the one column and draws there.
      await p.goto(`${d.url}/boards/${allId}`);
      await p.waitForFunction(WIDGETS_DRAWN(14), undefined, { timeout: 30_000, polling: 100 });
      await settled(p);
      const states = (await p.evaluate(READ("section[data-testid=widget]"))) as Drawn[];
      expect(states.filter((s) => s.error)).toEqual([]);
      for (const type of types)
        expect(
          await p.locator(`section[data-type=${type}] ${WIDGET_MARKS[type]}`).count(),
          `${type} on a phone`,
        ).toBeGreaterThan(0);
      await p.waitForTimeout(1200);
      await p.screenshot({ path: join(dir, "every-visual-phone-light.png"), fullPage: true });

      // The dashboard built above, in edit mode: one column in layout order, nothing to drag.
      await p.goto(`${d.url}/boards/${boardId}?edit=1`);
      await p.waitForFunction(WIDGETS_DRAWN(7), undefined, { timeout: 30_000, polling: 100 });
      await settled(p);
      expect(await p.locator("[data-testid=grid-item]").count()).toBe(0);
      expect(await p.locator(".board-stack").count()).toBe(1);
      expect(await p.locator(".widget-drag").count()).toBe(0);
      const boxes = [];
      for (const s of await p.locator("section[data-testid=widget]").all()) {
        const box = await s.boundingBox();
        if (box) boxes.push(box);
      }
      expect(boxes).toHaveLength(7);
      for (const [i, b] of boxes.entries()) {
        expect(Math.round(b.x)).toBe(Math.round(boxes[0]?.x ?? 0));
        expect(Math.round(b.width)).toBe(Math.round(boxes[0]?.width ?? 0));
        if (i > 0)
          expect(b.y).toBeGreaterThan((boxes[i - 1]?.y ?? 0) + (boxes[i - 1]?.height ?? 0) - 1);
      }
      expect(boxes[0]?.width).toBeGreaterThan(300);
      expect(boxes[0]?.width).toBeLessThanOrEqual(390);
      const order = [...built.layout]
        .sort((a, b) => a.y - b.y || a.x - b.x)
        .map((l) => built.widgets.find((w) => w.id === l.widget)?.name);
      expect(
        await p.evaluate(
          `[...document.querySelectorAll("section[data-testid=widget]")].map((s) => s.getAttribute("aria-label"))`,
        ),
      ).toEqual(order);
      // No sideways scrolling.
      expect(await p.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
      await p.screenshot({ path: join(dir, "dashboard-phone-light.png"), fullPage: true });
    } finally {
      await phone.close();
    }
  });

  it("has no serious or critical axe violation on the list, a dashboard, edit mode and the builder, in both themes", async () => {
    const found: { view: string; theme: string; violation: Violation }[] = [];
    for (const theme of ["light", "dark"] as const) {
      const ctx = await signedInContext(browser, d.token, { theme, viewport: DESKTOP });
      const p = await ctx.newPage();
      const check = async (view: string) => {
        expect(await p.evaluate("document.documentElement.dataset.theme")).toBe(theme);
        for (const violation of (await axe(p)).violations) found.push({ view, theme, violation });
      };
      try {
        await p.goto(`${d.url}/boards`);
        await p.locator("[data-testid=board-row]").first().waitFor();
        await settled(p);
        await check("boards list");
        await p.goto(`${d.url}/boards/${allId}`);
        await p.waitForFunction(WIDGETS_DRAWN(14), undefined, { timeout: 30_000, polling: 100 });
        await settled(p);
        await p.waitForTimeout(1200);
        await check("dashboard (every visual)");
        await p.getByRole("button", { name: "Edit", exact: true }).click();
        await p.getByRole("button", { name: "+ Add widget" }).waitFor();
        await check("dashboard in edit mode");
        await p.getByRole("button", { name: "+ Add widget" }).click();
        await p.locator("dialog[open] [data-testid=template-gallery]").waitFor();
        await check("builder: gallery");
        await p.locator("dialog[open] [data-template=line]").click();
        await p
          .locator("dialog[open] [data-testid=widget-preview] svg[data-testid=timeseries]")
          .waitFor();
        await settled(p);
        await check("builder: editor");
        await p.screenshot({ path: join(ensureScreenshotDir(), "boards", `builder-${theme}.png`) });
      } finally {
        await ctx.close();
      }
    }
    writeFileSync(
      join(REPO_ROOT, "artifacts", "axe-boards.json"),
      `${JSON.stringify(
        found.map((f) => ({
          view: f.view,
          theme: f.theme,
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
    console.log("boards: axe violations by rule (view × theme):", Object.fromEntries(summary));
    expect(severe(found.map((f) => ({ ...f, view: `${f.view}, ${f.theme}` })))).toEqual([]);
  });

  it("threw no error in the page", () => {
    expect(pageErrors).toEqual([]);
  });
});
