import { type EventRow, formatTimestamp } from "@sightline/edge";
import { eventRow as baseRow } from "@sightline/edge/testing";

/**
 * Test support: a small hand-built, seeded dataset of event rows and a plain-JavaScript model of
 * what each report must answer over it. Tests compare the API with the model, so no expected
 * number is ever copied from a run.
 */

export const MIN = 60_000;
const HOUR = 60 * MIN;

export function eventRow(p: Partial<EventRow> & { event_id: string; at: number }): EventRow {
  const { at, ...rest } = p;
  return baseRow({
    site_id: "a.test",
    ts: formatTimestamp(at),
    client_ts: formatTimestamp(at),
    session_id: "",
    hostname: "a.test",
    channel: "Direct",
    tracker_version: "test",
    ...rest,
  });
}

/** A deterministic generator (LCG), so the dataset is the same on every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 4_294_967_296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
  };
}

const PAGES = ["/", "/pricing", "/docs", "/blog/a", "/blog/b", "/signup"] as const;
const SOURCES = [
  { channel: "Direct", referrer: "", referrer_domain: "", utm_source: "", utm_medium: "" },
  {
    channel: "Organic Search",
    referrer: "https://www.google.com/",
    referrer_domain: "google.com",
    utm_source: "",
    utm_medium: "",
  },
  {
    channel: "Paid Social",
    referrer: "https://t.co/x",
    referrer_domain: "t.co",
    utm_source: "twitter",
    utm_medium: "cpc",
  },
] as const;
const GEO = [
  { country: "DE", region: "BE", city: "Berlin" },
  { country: "US", region: "NY", city: "New York" },
  { country: "JP", region: "13", city: "Tokyo" },
] as const;
const CLIENTS = [
  { browser: "Chrome", os: "Linux", device: "desktop" },
  { browser: "Firefox", os: "Windows", device: "desktop" },
  { browser: "Safari", os: "iOS", device: "mobile" },
] as const;
const VITALS = ["LCP", "INP", "CLS", "FCP", "TTFB"] as const;

/** Visits start near these instants: both sides of the 2026 DST changes in New York and Berlin. */
const ANCHORS = [
  Date.parse("2026-03-07T20:00:00Z"),
  Date.parse("2026-03-08T05:30:00Z"), // 00:30 EST, the night New York springs forward
  Date.parse("2026-03-08T07:10:00Z"), // 03:10 EDT
  Date.parse("2026-03-09T03:00:00Z"), // 23:00 EDT on the 8th, already the 9th in UTC
  Date.parse("2026-10-24T21:30:00Z"), // 23:30 CEST
  Date.parse("2026-10-25T00:20:00Z"), // 02:20 CEST, the hour Berlin repeats
  Date.parse("2026-10-25T01:20:00Z"), // 02:20 CET
  Date.parse("2026-10-25T22:40:00Z"), // 23:40 CET on the 25th
];

export function dataset(seed = 6): EventRow[] {
  const r = rng(seed);
  const rows: EventRow[] = [];
  let n = 0;
  const id = () => `ev-${seed}-${n++}`;
  for (let v = 0; v < 24; v++) {
    const site = v % 6 === 5 ? "b.test" : "a.test";
    const visitor = `vis-${v}`;
    const base = {
      site_id: site,
      hostname: site,
      visitor_id: visitor,
      is_bot: (v % 8 === 7 ? 1 : 0) as 0 | 1,
      ...r.pick(SOURCES),
      ...r.pick(GEO),
      ...r.pick(CLIENTS),
    };
    let at = r.pick(ANCHORS) + r.int(50) * MIN;
    const visits = 1 + r.int(3);
    for (let visit = 0; visit < visits; visit++) {
      const views = 1 + r.int(4);
      for (let k = 0; k < views; k++) {
        const pathname = k === 0 && v % 3 === 0 ? "/" : r.pick(PAGES);
        rows.push(eventRow({ ...base, event_id: id(), at, pathname }));
        rows.push(
          eventRow({
            ...base,
            event_id: id(),
            at: at + 5_000,
            name: "engagement",
            pathname,
            engaged_ms: 1_000 + r.int(60_000),
            scroll_depth: r.pick([25, 50, 75, 100]),
          }),
        );
        if (pathname === "/signup" && r.next() < 0.7) {
          rows.push(
            eventRow({
              ...base,
              event_id: id(),
              at: at + 7_000,
              name: "signup",
              pathname,
              props: { plan: r.pick(["free", "pro", "team"]) },
            }),
          );
        }
        if (pathname === "/pricing" && r.next() < 0.5) {
          const currency = r.pick(["EUR", "USD"]);
          rows.push(
            eventRow({
              ...base,
              event_id: id(),
              at: at + 8_000,
              name: "purchase",
              pathname,
              revenue: (10 + r.int(90)) / 4,
              currency,
              props: { amount: String(10 + r.int(90)) },
            }),
          );
        }
        if (r.next() < 0.2) {
          const fp = r.pick(["f00d", "beef", "c0de"]);
          rows.push(
            eventRow({
              ...base,
              event_id: id(),
              at: at + 3_000,
              name: "error",
              pathname,
              props: { message: `Boom ${fp}`, type: "TypeError", source: "app.js", fp },
            }),
          );
        }
        if (r.next() < 0.5) {
          const metric = r.pick(VITALS);
          rows.push(
            eventRow({
              ...base,
              event_id: id(),
              at: at + 2_000,
              name: "web_vital",
              pathname,
              props: {
                metric,
                value: String(r.int(4000)),
                rating: r.pick(["good", "needs-improvement", "poor"]),
              },
            }),
          );
        }
        at += (10 + r.int(20 * 60)) * 1000;
      }
      // Exactly 30 minutes of quiet keeps the session; a millisecond more starts a new one.
      at += r.pick([30 * MIN, 30 * MIN + 1, 2 * HOUR, 26 * HOUR]);
    }
  }
  return rows;
}

/** Every 5th row delivered twice: the answers must not change. */
export function withDuplicates(rows: EventRow[]): EventRow[] {
  return rows.flatMap((row, i) => (i % 5 === 0 ? [row, { ...row }] : [row]));
}

// ---------------------------------------------------------------------------------------------
// The model: what the answers must be, computed in plain JavaScript.

export const msOf = (row: EventRow) => Date.parse(`${row.ts.replace(" ", "T")}Z`);

export function localDay(ms: number, tz: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: tz,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(ms);
}

export interface Scope {
  sites: string[];
  from: string;
  to: string;
  tz: string;
  includeBots?: boolean;
}

/** The rows a report over `scope` sees, each event id once. */
export function inScope(rows: readonly EventRow[], scope: Scope): EventRow[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    if (seen.has(row.event_id)) return false;
    const day = localDay(msOf(row), scope.tz);
    const keep =
      scope.sites.includes(row.site_id) &&
      day >= scope.from &&
      day <= scope.to &&
      (scope.includeBots || row.is_bot === 0);
    if (keep) seen.add(row.event_id);
    return keep;
  });
}

export interface Session {
  key: string;
  visitor: string;
  rows: EventRow[];
  pageviews: number;
  duration: number;
  entry: string;
  exit: string;
}

/** Sessions: one visitor on one site, split when more than 30 minutes pass between events. */
export function sessionsOf(rows: readonly EventRow[]): Session[] {
  const byVisitor = new Map<string, EventRow[]>();
  for (const row of rows) {
    const key = `${row.site_id}|${row.visitor_id}`;
    byVisitor.set(key, [...(byVisitor.get(key) ?? []), row]);
  }
  const sessions: Session[] = [];
  for (const [key, list] of byVisitor) {
    const sorted = [...list].sort(
      (a, b) => msOf(a) - msOf(b) || (a.event_id < b.event_id ? -1 : 1),
    );
    let current: EventRow[] = [];
    const close = () => {
      if (!current.length) return;
      const views = current.filter((e) => e.name === "pageview");
      sessions.push({
        key: `${key}|${sessions.length}`,
        visitor: key,
        rows: current,
        pageviews: views.length,
        duration: (msOf(current.at(-1) as EventRow) - msOf(current[0] as EventRow)) / 1000,
        entry: views[0]?.pathname ?? "",
        exit: views.at(-1)?.pathname ?? "",
      });
      current = [];
    };
    for (const row of sorted) {
      const last = current.at(-1);
      if (last && msOf(row) - msOf(last) > 30 * MIN) close();
      current.push(row);
    }
    close();
  }
  return sessions;
}

export const distinct = <T>(xs: readonly T[]) => new Set(xs).size;
export const mean = (xs: readonly number[]) =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;

/** ClickHouse's `quantile` interpolates linearly between the two nearest values. */
export function quantile(values: readonly number[], q: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) out.set(key(x), [...(out.get(key(x)) ?? []), x]);
  return out;
}
