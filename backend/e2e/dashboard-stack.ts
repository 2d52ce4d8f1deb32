import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { DESKTOP_CHROME } from "./browser.ts";
import { api, eventually, type RunningStack, startProcess } from "./process.ts";

// What the dashboard suites share: the stack as its own process on demo data (written by the demo
// generator into the spool and loaded by the stack's shipper, as `pnpm demo` beside `pnpm start`
// does), the API to check the screen against, and a signed-in browser page.

const BACKEND_DIR = fileURLToPath(new URL("..", import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const SCREENSHOTS = join(REPO_ROOT, "artifacts", "screenshots");

export const ADMIN = { email: "owner@e2e.test", password: "a very long e2e password" };
/** The demo's shop, the site with the most traffic; demo sites are in UTC. */
export const SHOP = "shop.example";
export const DAY_MS = 86_400_000;

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export type Cell = string | number | null;
export type Row = Record<string, Cell>;
export interface QueryResult {
  rows: Row[];
  comparison?: { from: string; to: string; rows: Row[] };
}
export interface Filter {
  dimension: string;
  op: "is" | "is_not" | "contains" | "not_contains" | "matches";
  value: string;
}

export interface DemoStack {
  stack: RunningStack;
  url: string;
  token: string;
  /** POST /api/v1/query; throws unless it answers 200. */
  query(spec: object): Promise<QueryResult>;
  /** POST /api/v1/reports/<name>; throws unless it answers 200. */
  report<T>(name: string, body: object): Promise<T>;
  close(): Promise<void>;
}

/** The UTC day `days` before today, as the site (UTC) counts days. */
export function daysAgo(days: number, now = Date.now()): string {
  return new Date(now - days * DAY_MS).toISOString().slice(0, 10);
}

/** The dashboard's "last n days": n days up to and including today. */
export function lastDays(n: number): { from: string; to: string } {
  return { from: daysAgo(n - 1), to: daysAgo(0) };
}

/** Runs `pnpm demo` as its own process against the stack's data folder. */
function runDemo(dataDir: string, args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = {};
  // The settings come from the data folder alone, as for the stack (startProcess passes the rest).
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith("SIGHTLINE_")) env[key] = value;
  const child = spawn(process.execPath, ["--import", "tsx", "src/demo/main.ts", ...args], {
    cwd: BACKEND_DIR,
    env: { ...env, SIGHTLINE_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`demo exited ${code}:\n${output}`)),
    );
  });
}

/**
 * Starts the stack on a new data folder, seeds it with the demo generator (the three demo sites)
 * and waits until the shipper has loaded every event, which the API must then report.
 */
export async function startDemoStack(
  options: { events?: number; days?: number; seed?: number } = {},
): Promise<DemoStack> {
  const { events = 60_000, days = 35, seed = 7 } = options;
  const dataDir = mkdtempSync(join(tmpdir(), "sl-e2e-dash-"));
  const stack = await startProcess({
    SIGHTLINE_DATA_DIR: dataDir,
    SIGHTLINE_ADMIN_EMAIL: ADMIN.email,
    SIGHTLINE_ADMIN_PASSWORD: ADMIN.password,
  });
  try {
    await runDemo(dataDir, ["--events", `${events}`, "--days", `${days}`, "--seed", `${seed}`]);
    const spool = join(dataDir, "spool");
    await eventually(
      async () => (readdirSync(spool).some((f) => f.includes("-demo-")) ? undefined : true),
      60_000,
      "the shipper to load the demo files",
    );
    const login = await api<{ token: string }>(stack.url, "/api/v1/auth/login", {
      method: "POST",
      body: JSON.stringify(ADMIN),
    });
    if (login.status !== 200) throw new Error(`login answered ${login.status}`);
    const token = login.body.token;
    const post = async <T>(path: string, body: object): Promise<T> => {
      const res = await api<T>(stack.url, path, {
        method: "POST",
        token,
        body: JSON.stringify(body),
      });
      if (res.status !== 200)
        throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body;
    };
    // Shipped files are removed once ClickHouse has them: all demo events are there now, bots apart.
    const all = await post<QueryResult>("/api/v1/query", {
      sites: ["shop.example", "blog.example", "docs.example"],
      from: daysAgo(days + 1),
      to: daysAgo(0),
      tz: "UTC",
      metrics: ["events"],
    });
    const loaded = Number(all.rows[0]?.events ?? 0);
    if (loaded < events * 0.5) throw new Error(`only ${loaded} of ${events} demo events loaded`);
    return {
      stack,
      url: stack.url,
      token,
      query: (spec) => post<QueryResult>("/api/v1/query", spec),
      report: (name, body) => post(`/api/v1/reports/${name}`, body),
      close: async () => {
        await stack.kill("SIGTERM");
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stack.kill("SIGKILL");
    throw error;
  }
}

/** One event as the tracker sends it (see tracker/src/payload.ts); `v` is the visitor id. */
export interface WireEvent {
  n: string;
  u: string;
  v?: string;
  x?: string;
  r?: string;
  p?: Record<string, string | number | boolean>;
}

/** Sends events to `/sl/e` as a desktop Chrome would, without an Origin (a server-side sender). */
export async function sendEvents(base: string, site: string, events: WireEvent[]): Promise<void> {
  const now = Date.now();
  const res = await fetch(`${base}/sl/e`, {
    method: "POST",
    headers: { "content-type": "text/plain", "user-agent": DESKTOP_CHROME },
    body: JSON.stringify({
      s: site,
      sv: "4",
      c: now,
      e: events.map((e) => ({ i: randomUUID(), t: now, ...e })),
    }),
  });
  if (res.status !== 204) throw new Error(`/sl/e answered ${res.status}: ${await res.text()}`);
}

/**
 * A browser context signed in as the admin (signed out with a null token), in a viewport and, when
 * `theme` is given, with that theme chosen (else the dashboard follows the system's, light here).
 */
export async function signedInContext(
  browser: Browser,
  token: string | null,
  options: { theme?: "light" | "dark"; viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  const { theme, viewport = DESKTOP } = options;
  const context = await browser.newContext({
    viewport,
    timezoneId: "UTC",
    locale: "en-GB",
    colorScheme: "light",
    ...(viewport.width < 600 ? { isMobile: true, hasTouch: true } : {}),
  });
  const init = [
    token ? `localStorage.setItem("sightline.token", ${JSON.stringify(token)});` : "",
    theme ? `localStorage.setItem("sightline.theme", ${JSON.stringify(theme)});` : "",
  ].join("\n");
  if (init.trim()) await context.addInitScript(init);
  return context;
}

/**
 * True once the view has drawn its data: nothing loading, nothing stale from the previous view,
 * no request in flight (aria-busy). In-page JavaScript, shared with `pnpm bench dashboard`.
 */
export const SETTLED = `!document.querySelector('.loading, .kpi-placeholder, .stale, [aria-busy="true"]')`;

/** Waits until the view has drawn its data (see SETTLED). */
export async function settled(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(SETTLED, undefined, { timeout, polling: 100 });
}

/** The headline cards and their query API metrics. */
export const KPIS = [
  ["visitors", "visitors"],
  ["visits", "sessions"],
  ["pageviews", "pageviews"],
  ["views_per_visit", "views_per_session"],
  ["bounce_rate", "bounce_rate"],
  ["visit_duration", "session_duration"],
] as const;

/** The raw numbers of the six headline cards (their `data-value`). */
export async function readKpis(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [key] of KPIS) {
    const el = page.locator(`[data-testid=kpi-${key}]`);
    out[key] = (await el.count()) ? comparable(await el.getAttribute("data-value")) : "(missing)";
  }
  return out;
}

/** What the cards must show for an API answer's row. */
export function kpisOf(row: Row | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, metric] of KPIS) {
    const v = row?.[metric];
    out[key] = comparable(v);
  }
  return out;
}

/**
 * A number to 12 significant digits: an average summed in another order by another query can
 * differ in its last bits (112.64984499785318 and …315), which is not a wrong number on screen.
 */
function comparable(v: unknown): string {
  if (v === null || v === undefined || v === "") return "";
  return String(Number(Number(v).toPrecision(12)));
}

export function ensureScreenshotDir(): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return SCREENSHOTS;
}

/**
 * JavaScript errors and web vitals for the shop, as the errors and vitals plugins send them: two
 * error groups, one seen three times, and a few samples of every vital on top of the demo's own.
 * Resolves once the API reports them.
 */
export async function seedErrorsAndVitals(d: DemoStack): Promise<void> {
  const page = "https://shop.example/checkout";
  const cartError = {
    message: "TypeError: Cannot read properties of undefined (reading 'items')",
    type: "TypeError",
    source: "https://shop.example/assets/cart.js",
    line: 41,
    col: 13,
    fp: "e2ecart01",
  };
  const fetchError = {
    message: "Failed to fetch",
    type: "unhandledrejection",
    source: "",
    line: 0,
    col: 0,
    fp: "e2efetch1",
  };
  const vitals: [string, number, string][] = [
    ["LCP", 1200, "good"],
    ["LCP", 2100, "good"],
    ["LCP", 3100, "needs-improvement"],
    ["LCP", 4800, "poor"],
    ["INP", 90, "good"],
    ["INP", 320, "needs-improvement"],
    ["CLS", 0.02, "good"],
    ["CLS", 0.31, "poor"],
    ["FCP", 900, "good"],
    ["FCP", 2000, "needs-improvement"],
    ["TTFB", 200, "good"],
    ["TTFB", 950, "needs-improvement"],
  ];
  await sendEvents(d.url, SHOP, [
    ...[1, 2, 3].map((i) => ({ n: "error", u: page, v: `e2e-err-${i}`, p: cartError })),
    { n: "error", u: page, v: "e2e-err-4", p: fetchError },
    ...vitals.map(([metric, value, rating], i) => ({
      n: "web_vital",
      u: i % 2 ? page : "https://shop.example/",
      v: `e2e-vital-${i}`,
      p: { metric, value, rating },
    })),
  ]);
  const range = { sites: [SHOP], ...lastDays(1), tz: "UTC" };
  await eventually(
    async () => {
      const errors = await d.report<{ errors: { fingerprint: string }[] }>("errors", range);
      const seeded = errors.errors.filter((e) => e.fingerprint.startsWith("e2e")).length;
      const vitals = await d.report<{ metrics: { samples: number }[] }>("web-vitals", range);
      const samples = vitals.metrics.reduce((n, m) => n + m.samples, 0);
      // The demo has errors and vitals of its own; one request's events are shipped together.
      if (seeded === 2 && samples >= 12) return true;
      throw new Error(`${seeded} seeded error groups and ${samples} vitals samples so far`);
    },
    30_000,
    "the errors and vitals in the API",
  );
}
