import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
// The backend's e2e harness owns the stack as a process and the Chromium launch.
import { launchChromium } from "@sightline/backend/e2e/browser";
import { SETTLED, WIDGETS_DRAWN } from "@sightline/backend/e2e/dashboard-stack";
import { api, type RunningStack, startProcess } from "@sightline/backend/e2e/process";
import { MetaStore } from "@sightline/backend/store";
import { loadSettings, openClickHouse } from "@sightline/config";
import { demoSites, ensureDemoData, fmt } from "./lib/demo-data.ts";

// `pnpm bench dashboard`: the dashboard as a person opens it, on demo data. Loads the demo events
// (or reuses --data), starts the stack as its own process on that folder, then in headless
// Chromium measures (a) the JavaScript of a first visit, brotli and gzip bytes as the backend
// serves them and raw, against the 150 kB gzip target; (b) the time from navigation until the
// headline cards, the chart and every panel show data with nothing loading, over the last 30
// days, median of R visits on a new page each (a cold TanStack cache; the browser's HTTP cache
// keeps the scripts), printed beside the slowest API call of each visit (resource timing); (c) the
// same for a custom dashboard of 12 widgets (issue 14), created through the API at start: the time
// until every widget has drawn its data, beside the slowest widget's query.

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "10000000" },
    days: { type: "string", default: "30" },
    runs: { type: "string", default: "5" },
    data: { type: "string" },
    seed: { type: "string", default: "1" },
  },
});

function positive(name: string, raw: string): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`bench dashboard: --${name} must be a positive integer`);
    process.exit(2);
  }
  return n;
}

const EVENTS = positive("events", values.events);
const DAYS = positive("days", values.days);
const RUNS = positive("runs", values.runs);
const SEED = Number(values.seed);
const GZIP_TARGET = 150_000;
const SITE = "shop.example";
const ADMIN = { email: "bench@sightline.test", password: "a long bench-only password" };

const root = new URL("../../../", import.meta.url).pathname;
// The dashboard as it is now, and Debian's chromium (installed when missing, as root).
execFileSync("pnpm", ["--filter", "@sightline/frontend", "build"], { stdio: "ignore" });
execFileSync(process.execPath, [join(root, "scripts/ensure-test-deps.mjs")], { stdio: "inherit" });

const keep = values.data !== undefined;
const dataDir = keep
  ? resolve(values.data as string)
  : mkdtempSync(join(tmpdir(), "sl-bench-dashboard-"));
mkdirSync(dataDir, { recursive: true });

/**
 * In the page from its first moment: notes when the cards, the chart and every panel show data
 * and nothing is loading (the suites' `settled` condition, plus what must be there).
 */
const DRAWN_PROBE = `(() => {
  const check = () => {
    if (window.__drawnAt !== undefined) return;
    const panels = document.querySelectorAll("section[data-panel]");
    if (panels.length < 6) return;
    if (!document.querySelector("svg[data-testid=timeseries]")) return;
    if (document.querySelectorAll('[data-testid^="kpi-"][data-value]').length < 6) return;
    for (const p of panels)
      if (!p.querySelector("[data-testid=bar-row], [data-testid=revenue-row], .empty-text, [data-testid=world-map] svg")) return;
    if (document.querySelector('.loading, .kpi-placeholder, .stale, [aria-busy="true"]')) return;
    window.__drawnAt = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
})();`;

/** The same for a custom dashboard: every widget has drawn its data and nothing is loading. */
const BOARD_PROBE = (widgets: number) => `(() => {
  const check = () => {
    if (window.__boardDrawnAt !== undefined || !location.pathname.startsWith("/boards/")) return;
    if (!${WIDGETS_DRAWN(widgets)}) return;
    if (!(${SETTLED})) return;
    window.__boardDrawnAt = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
})();`;

interface Entry {
  name: string;
  initiatorType: string;
  startTime: number;
  responseEnd: number;
  duration: number;
  transferSize: number;
  encodedBodySize: number;
  decodedBodySize: number;
}

interface Visit {
  drawn: number;
  /** Widgets that said "no data" or showed an error instead of drawing (custom dashboard). */
  undrawn: number;
  entries: Entry[];
  /** What each API call asked, by when it was sent (epoch ms), to name the slowest. */
  sent: { url: string; at: number; what: string }[];
  timeOrigin: number;
}

/** A short name for an API call: the report, or the query's dimensions. */
function describe(url: string, body: unknown): string {
  const path = new URL(url).pathname.replace("/api/v1/", "");
  if (path !== "query") return path;
  const spec = (body ?? {}) as { dimensions?: string[]; granularity?: string; compare?: string };
  if (spec.dimensions?.length) return `query by ${spec.dimensions.join(", ")}`;
  if (spec.granularity) return `query by ${spec.granularity} (chart)`;
  return `query totals${spec.compare ? " + comparison" : ""}`;
}

/** Bytes of a file as the backend sends it for one Accept-Encoding, and the encoding it chose. */
function served(url: string, encoding: string): Promise<{ bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { "accept-encoding": encoding } }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => (bytes += c.length));
      res.on("end", () =>
        resolve({ bytes, encoding: String(res.headers["content-encoding"] ?? "identity") }),
      );
      res.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

/** The call a resource timing entry records: the one to that URL sent closest to its start. */
function nameOf(v: Visit, e: Entry): string {
  const at = v.timeOrigin + e.startTime;
  const same = v.sent.filter((s) => s.url === e.name);
  same.sort((a, b) => Math.abs(a.at - at) - Math.abs(b.at - at));
  return same[0]?.what ?? pathOf(e.name);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;
const ms = (n: number) => `${Math.round(n)} ms`;
const pathOf = (url: string) => new URL(url).pathname;

/**
 * One table of visits: the first apart, then the median of the others, each beside its slowest
 * API call (resource timing), when its first call was sent and its last answer came.
 */
function printTimings(title: string, firstLabel: string, first: Visit, visits: Visit[]): void {
  const rows = [first, ...visits].map((v, i) => {
    const calls = v.entries.filter((e) => pathOf(e.name).startsWith("/api/"));
    const slowest = calls.reduce<Entry | undefined>(
      (a, e) => (a && a.duration >= e.duration ? a : e),
      undefined,
    );
    const firstSent = Math.min(...calls.map((e) => e.startTime));
    const lastDone = Math.max(...calls.map((e) => e.responseEnd));
    return {
      visit: i === 0 ? firstLabel : `${i}`,
      "drawn ms": Math.round(v.drawn),
      "API calls": calls.length,
      "slowest API ms": Math.round(slowest?.duration ?? 0),
      "slowest call": slowest ? nameOf(v, slowest) : "",
      "first call sent ms": Math.round(firstSent),
      "last answer ms": Math.round(lastDone),
      "drawn after last answer ms": Math.round(v.drawn - lastDone),
    };
  });
  const timed = rows.slice(1);
  const med = (k: keyof (typeof rows)[number]) =>
    Math.round(median(timed.map((r) => Number(r[k]))));
  // The call that was slowest in the most visits.
  const counts = new Map<string, number>();
  for (const r of timed) counts.set(r["slowest call"], (counts.get(r["slowest call"]) ?? 0) + 1);
  const usual = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
  console.log(`\n${title}`);
  console.table([
    ...rows,
    {
      visit: `median of ${visits.length}`,
      "drawn ms": med("drawn ms"),
      "API calls": med("API calls"),
      "slowest API ms": med("slowest API ms"),
      "slowest call": usual ? `most often: ${usual}` : "",
      "first call sent ms": med("first call sent ms"),
      "last answer ms": med("last answer ms"),
      "drawn after last answer ms": med("drawn after last answer ms"),
    },
  ]);
  console.log(
    `fully drawn: median ${ms(med("drawn ms"))}; slowest API call ${ms(med("slowest API ms"))}; ` +
      `before the first call (scripts, boot) ${ms(med("first call sent ms"))}; ` +
      `after the last answer (rendering) ${ms(med("drawn after last answer ms"))}`,
  );
}

/** A widget's query as the API stores it: the last 30 days in UTC, as the builder previews. */
const spec = (fields: object) => {
  const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  return { sites: [SITE], from: day(29), to: day(0), tz: "UTC", ...fields };
};
const q = (name: string, visual: object, fields: object) => ({
  name,
  source: { kind: "query", spec: spec(fields) },
  visual,
});

/**
 * The custom dashboard measured: 12 widgets of the kinds a person builds (four numbers, a line
 * with its comparison, a table, bars, a map, a pie, a heatmap, a funnel, stacked bars), laid out
 * on the 12-column grid as the builder would.
 */
const BOARD_WIDGETS: { widget: object; at: [number, number, number, number] }[] = [
  {
    widget: q(
      "Visitors",
      { type: "number", options: { comparison: true } },
      { metrics: ["visitors"], granularity: "day" },
    ),
    at: [0, 0, 3, 3],
  },
  {
    widget: q(
      "Pageviews",
      { type: "number", options: { comparison: true } },
      { metrics: ["pageviews"], granularity: "day" },
    ),
    at: [3, 0, 3, 3],
  },
  { widget: q("Bounce rate", { type: "number" }, { metrics: ["bounce_rate"] }), at: [6, 0, 3, 3] },
  {
    widget: q("Visit duration", { type: "number" }, { metrics: ["session_duration"] }),
    at: [9, 0, 3, 3],
  },
  {
    widget: q(
      "Visitors by day",
      { type: "line", options: { comparison: true } },
      { metrics: ["visitors"], granularity: "day", limit: 10_000 },
    ),
    at: [0, 3, 8, 6],
  },
  {
    widget: q(
      "Channels",
      { type: "pie", options: { donut: true } },
      { dimensions: ["channel"], metrics: ["visitors"], limit: 10 },
    ),
    at: [8, 3, 4, 6],
  },
  {
    widget: q(
      "Top pages",
      { type: "table" },
      { dimensions: ["page"], metrics: ["visitors", "pageviews", "bounce_rate"], limit: 100 },
    ),
    at: [0, 9, 6, 7],
  },
  {
    widget: q(
      "Countries",
      { type: "map" },
      { dimensions: ["country"], metrics: ["visitors"], limit: 250 },
    ),
    at: [6, 9, 6, 7],
  },
  {
    widget: q(
      "Top sources",
      { type: "bar", options: { horizontal: true } },
      { dimensions: ["referrer_domain"], metrics: ["visitors"], limit: 10 },
    ),
    at: [0, 16, 6, 6],
  },
  {
    widget: {
      name: "Checkout funnel",
      source: {
        kind: "funnel",
        body: {
          ...spec({}),
          steps: [{ page: "/" }, { page: "/cart" }, { page: "/checkout" }],
          window: 86_400,
        },
      },
      visual: { type: "funnel" },
    },
    at: [6, 16, 6, 6],
  },
  {
    widget: q(
      "Pageviews by weekday and hour",
      { type: "heatmap" },
      { dimensions: ["day_of_week", "hour_of_day"], metrics: ["pageviews"], limit: 200 },
    ),
    at: [0, 22, 6, 6],
  },
  {
    widget: q(
      "Devices by day",
      { type: "stacked_bar" },
      { granularity: "day", dimensions: ["device"], metrics: ["visitors"], limit: 1000 },
    ),
    at: [6, 22, 6, 6],
  },
];

interface BoardWidget {
  name: string;
  source: { kind: string; spec?: { metrics?: unknown; dimensions?: unknown } };
  visual: { type: string };
}
const boardWidgets = () => BOARD_WIDGETS.map((b) => b.widget as BoardWidget);

/**
 * Which widget an API call of the custom dashboard was for, by what it asked. A number asks for
 * its total (with the comparison) and, with a time bucket, for its sparkline (without); a line
 * asks by its bucket, with the comparison.
 */
function widgetCall(url: string, body: unknown): string {
  const path = new URL(url).pathname.replace("/api/v1/", "");
  if (path.startsWith("reports/")) {
    const kind = path.slice("reports/".length);
    const w = boardWidgets().find((b) => b.source.kind === kind);
    return w ? `${w.name} (${kind})` : path;
  }
  if (path !== "query") return path;
  const asked = (body ?? {}) as {
    metrics?: unknown;
    dimensions?: unknown;
    granularity?: string;
    compare?: string;
  };
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
  const candidates = boardWidgets().filter(
    (w) =>
      same(w.source.spec?.metrics, asked.metrics) &&
      same(w.source.spec?.dimensions, asked.dimensions),
  );
  const sparkline = asked.granularity !== undefined && asked.compare === undefined;
  const found =
    candidates.find((w) => (w.visual.type === "number") === (!asked.granularity || sparkline)) ??
    candidates[0];
  if (!found) return describe(url, body);
  const what = found.visual.type === "number" && asked.granularity ? "sparkline" : "query";
  return `${found.name} (${what}${asked.compare ? " + comparison" : ""})`;
}

let stack: RunningStack | undefined;
try {
  console.log(
    `bench dashboard: ${fmt(EVENTS)} demo events over ${DAYS} days, seed ${SEED}, in ${dataDir}`,
  );
  const settings = loadSettings({ cwd: dataDir, env: { SIGHTLINE_DATA_DIR: dataDir } });
  const ch = openClickHouse(settings);
  try {
    await ensureDemoData(ch, { events: EVENTS, days: DAYS, seed: SEED, dataDir, reuse: keep });
  } finally {
    await ch.close();
  }
  // The sites, as `pnpm demo` creates them (the load above goes straight into ClickHouse).
  const store = new MetaStore(join(dataDir, "lmdb"));
  for (const { id, name, domains } of demoSites()) store.createSite({ id, name, domains });
  await store.close();

  const startAt = performance.now();
  stack = await startProcess({
    SIGHTLINE_DATA_DIR: dataDir,
    SIGHTLINE_ADMIN_EMAIL: ADMIN.email,
    SIGHTLINE_ADMIN_PASSWORD: ADMIN.password,
    // One access token serves the whole run, put straight into browser contexts that hold no
    // refresh cookie: it must outlast the run rather than the default 15 minutes.
    SIGHTLINE_AUTH_TOKEN_TTL: "6h",
  });
  console.log(`stack: ready in ${ms(performance.now() - startAt)} at ${stack.url}`);
  const login = await api<{ token: string }>(stack.url, "/api/v1/auth/login", {
    method: "POST",
    body: JSON.stringify(ADMIN),
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  const count = await api<{ rows: { events: number; pageviews: number }[] }>(
    stack.url,
    "/api/v1/query",
    {
      method: "POST",
      token: login.body.token,
      body: JSON.stringify({
        sites: [SITE],
        from: new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10),
        to: new Date().toISOString().slice(0, 10),
        tz: "UTC",
        metrics: ["events", "pageviews"],
      }),
    },
  );
  const row = count.body.rows[0];
  console.log(
    `${SITE}, last 30 days: ${fmt(Number(row?.events ?? 0))} events, ${fmt(Number(row?.pageviews ?? 0))} pageviews`,
  );

  const browser = await launchChromium();
  try {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      timezoneId: "UTC",
      // The bench waits on string predicates, which the dashboard's CSP (no eval) refuses.
      bypassCSP: true,
    });
    await context.addInitScript(
      `localStorage.setItem("sightline.token", ${JSON.stringify(login.body.token)});\n${DRAWN_PROBE}\n${BOARD_PROBE(BOARD_WIDGETS.length)}`,
    );
    /** One visit on a new page, until the probe's `marker` is set. */
    const visit = async (
      url: string,
      marker: string,
      name: (url: string, body: unknown) => string,
    ): Promise<Visit> => {
      const page = await context.newPage();
      const sent: Visit["sent"] = [];
      page.on("request", (r) => {
        if (pathOf(r.url()).startsWith("/api/")) {
          let body: unknown = null;
          try {
            body = r.postDataJSON();
          } catch {}
          sent.push({ url: r.url(), at: Date.now(), what: name(r.url(), body) });
        }
      });
      try {
        await page.goto(url, { waitUntil: "commit" });
        await page.waitForFunction(`window.${marker} !== undefined`, undefined, {
          timeout: 180_000,
          polling: 50,
        });
        const drawn = await page.evaluate<number>(`window.${marker}`);
        const entries = await page.evaluate<Entry[]>(
          `performance.getEntriesByType("resource").map((e) => e.toJSON())`,
        );
        const timeOrigin = await page.evaluate<number>("performance.timeOrigin");
        const undrawn = await page.evaluate<number>(
          `document.querySelectorAll("section[data-testid=widget] :is(.empty-text, .notice-error)").length`,
        );
        return {
          drawn,
          undrawn,
          entries: entries.filter((e) => e.startTime <= drawn),
          sent,
          timeOrigin,
        };
      } finally {
        await page.close();
      }
    };
    const siteVisit = () => visit(`${stack?.url}/sites/${SITE}`, "__drawnAt", describe);

    // (a) The first visit, the HTTP cache empty: the scripts it loads until drawn.
    const first = await siteVisit();
    const scripts = first.entries.filter((e) => pathOf(e.name).endsWith(".js"));
    const sizes: {
      file: string;
      raw: number;
      gzip: number;
      brotli: number;
      "in the browser": number;
    }[] = [];
    for (const s of scripts) {
      const gzip = await served(s.name, "gzip");
      const br = await served(s.name, "br");
      const raw = await served(s.name, "identity");
      sizes.push({
        file: pathOf(s.name).replace("/assets/", ""),
        raw: raw.bytes,
        gzip: gzip.encoding === "gzip" ? gzip.bytes : Number.NaN,
        brotli: br.encoding === "br" ? br.bytes : Number.NaN,
        "in the browser": s.encodedBodySize,
      });
    }
    const total = (k: "raw" | "gzip" | "brotli" | "in the browser") =>
      sizes.reduce((n, s) => n + s[k], 0);
    console.log("\nJavaScript of a first visit to the dashboard (bytes; the browser asked for br)");
    console.table([
      ...sizes,
      {
        file: "total",
        raw: total("raw"),
        gzip: total("gzip"),
        brotli: total("brotli"),
        "in the browser": total("in the browser"),
      },
    ]);
    const gzip = total("gzip");
    console.log(
      `JS: ${kb(total("raw"))} raw, ${kb(gzip)} gzip, ${kb(total("brotli"))} brotli in ${scripts.length} files; target <= ${kb(GZIP_TARGET)} gzip: ${gzip <= GZIP_TARGET ? "met" : `NOT met (${kb(gzip - GZIP_TARGET)} over)`}`,
    );

    // (b) Time to fully drawn: new pages, the scripts cached, TanStack's cache empty.
    const visits: Visit[] = [];
    for (let i = 0; i < RUNS; i++) visits.push(await siteVisit());
    printTimings(
      `Time to fully drawn, ${SITE}, last 30 days (ms from navigation; ${RUNS} visits on new pages)`,
      "first (cold HTTP cache)",
      first,
      visits,
    );

    // (c) A custom dashboard of 12 widgets, created through the API, over the last 30 days: until
    // every widget has drawn its data. Its first visit loads the boards' code (grid, visuals).
    const created = await api<{ id: string; version: number }>(stack.url, "/api/v1/dashboards", {
      method: "POST",
      token: login.body.token,
      body: JSON.stringify({
        name: "Bench: 12 widgets",
        sites: [SITE],
        widgets: BOARD_WIDGETS.map((b, i) => ({ id: `w${i + 1}`, ...b.widget })),
        layout: BOARD_WIDGETS.map((b, i) => {
          const [x, y, w, h] = b.at;
          return { widget: `w${i + 1}`, x, y, w, h };
        }),
        defaults: { period: "30d", compare: null, filters: [] },
      }),
    });
    if (created.status !== 201)
      throw new Error(
        `creating the dashboard answered ${created.status}: ${JSON.stringify(created.body)}`,
      );
    const boardVisit = () =>
      visit(`${stack?.url}/boards/${created.body.id}?period=30d`, "__boardDrawnAt", widgetCall);
    const boardFirst = await boardVisit();
    const boardCode = boardFirst.entries.filter(
      (e) => pathOf(e.name).endsWith(".js") && !first.entries.some((f) => f.name === e.name),
    );
    console.log(
      `\nCustom dashboard: ${BOARD_WIDGETS.length} widgets (${boardWidgets()
        .map((w) => w.visual.type)
        .join(", ")}); its first visit loaded ${boardCode.length} more script files, ` +
        `${kb(boardCode.reduce((n, e) => n + e.encodedBodySize, 0))} over the wire`,
    );
    const boardVisits: Visit[] = [];
    for (let i = 0; i < RUNS; i++) boardVisits.push(await boardVisit());
    printTimings(
      `Time until every widget has drawn, custom dashboard of ${BOARD_WIDGETS.length} widgets, ${SITE}, last 30 days (ms from navigation; ${RUNS} visits on new pages)`,
      "first (boards code not cached)",
      boardFirst,
      boardVisits,
    );
    const undrawn = Math.max(...[boardFirst, ...boardVisits].map((v) => v.undrawn));
    if (undrawn > 0)
      console.log(`note: ${undrawn} widget(s) showed no data or an error instead of drawing`);
    await api(stack.url, `/api/v1/dashboards/${created.body.id}`, {
      method: "DELETE",
      token: login.body.token,
      headers: { "if-match": `"${created.body.version}"` },
    });
  } finally {
    await browser.close();
  }
} finally {
  await stack?.kill("SIGTERM");
  if (!keep) rmSync(dataDir, { recursive: true, force: true });
}
