import { createHash } from "node:crypto";
import {
  type CollectDeps,
  collect,
  EVENT_COLUMNS,
  type EventRow,
  eventRowSchema,
  formatTimestamp,
} from "@sightline/edge";
import { SESSION_TIMEOUT_MS } from "@sightline/tracker/rules";
import { describe, expect, it } from "vitest";
import { DEFAULT_SITE_IDS, demoSite } from "./catalog.ts";
import { type DemoOptions, generateEvents, newRunId } from "./generate.ts";
import { DemoLineEncoder } from "./line.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23, 15, 30, 12, 345);
const SITES = DEFAULT_SITE_IDS.map((id, i) => demoSite(id, i));
const BASE: DemoOptions = {
  events: 20_000,
  days: 30,
  seed: 42,
  sites: SITES,
  now: NOW,
  runId: "0123456789abcdef01",
  batchSize: 1000,
};

function all(options: Partial<DemoOptions> = {}): EventRow[] {
  return [...generateEvents({ ...BASE, ...options })].flat();
}

const rows = all();
const NUMBER_COLUMNS = new Set(["is_bot", "revenue", "engaged_ms", "scroll_depth"]);
const msOf = (stamp: string) => Date.parse(`${stamp.replace(" ", "T")}Z`);

function countBy(values: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

describe("generateEvents", () => {
  it("makes exactly the number of events asked for", () => {
    expect(rows).toHaveLength(20_000);
    expect(all({ events: 1 })).toHaveLength(1);
    expect(all({ events: 4321, batchSize: 100 })).toHaveLength(4321);
  });

  it("fills exactly the EventRow fields, with their types", () => {
    // Problems are collected and checked once: an expect() per field of 20,000 rows is slow.
    const problems = new Set<string>();
    const columns = [...EVENT_COLUMNS].sort().join();
    for (const row of rows) {
      if (Object.keys(row).sort().join() !== columns) problems.add(`fields: ${Object.keys(row)}`);
      for (const column of EVENT_COLUMNS) {
        const value = row[column];
        const type =
          column === "props" ? "object" : NUMBER_COLUMNS.has(column) ? "number" : "string";
        if (typeof value !== type) problems.add(`${column} is ${typeof value}`);
        if (type === "number" && !Number.isFinite(value)) problems.add(`${column} is ${value}`);
      }
      for (const [key, v] of Object.entries(row.props)) {
        if (typeof v !== "string") problems.add(`props.${key} is ${typeof v}`);
      }
      if (row.is_bot !== 0 && row.is_bot !== 1) problems.add(`is_bot ${row.is_bot}`);
      if ((row.device === "bot") !== (row.is_bot === 1)) problems.add(`device ${row.device}`);
      if (row.hostname !== row.site_id) problems.add(`hostname ${row.hostname}`);
      if (row.tracker_version !== "1") problems.add(`tracker_version ${row.tracker_version}`);
      // The checks edge rows from outside the collector go through.
      const parsed = eventRowSchema.safeParse(row);
      if (!parsed.success) problems.add(parsed.error.issues[0]?.message ?? "invalid row");
    }
    expect([...problems]).toEqual([]);
  });

  it("keeps every time within the last `days` days, in the collector's format", () => {
    const problems = new Set<string>();
    for (const row of rows) {
      const ts = msOf(row.ts);
      const received = msOf(row.received_at);
      const client = msOf(row.client_ts);
      if (formatTimestamp(ts) !== row.ts) problems.add(`ts ${row.ts}`);
      if (formatTimestamp(received) !== row.received_at)
        problems.add(`received ${row.received_at}`);
      if (formatTimestamp(client) !== row.client_ts) problems.add(`client_ts ${row.client_ts}`);
      if (client < NOW - 30 * DAY) problems.add(`client_ts ${row.client_ts} before the range`);
      if (received > NOW) problems.add(`received_at ${row.received_at} in the future`);
      // Demo clocks are right, so an event's time is its client time, and it arrives within 1 s.
      if (ts !== client) problems.add(`ts ${row.ts} for ${row.client_ts}`);
      if (received < ts || received - ts >= 1000) problems.add(`received ${row.received_at}`);
    }
    expect([...problems]).toEqual([]);
    // Spread over the whole range, not bunched at one end.
    const days = new Set(rows.map((r) => r.ts.slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(30);
  });

  it("has more traffic on weekdays than at weekends, and by day than at night", () => {
    const humans = rows.filter((r) => r.is_bot === 0 && r.site_id === "docs.example");
    const perDay = countBy(humans.map((r) => r.ts.slice(0, 10)));
    // The first and last days of the range are partial.
    const days = [...perDay.keys()].sort().slice(1, -1);
    const isWeekend = (day: string) => [0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay());
    const mean = (list: string[]) => list.reduce((sum, d) => sum + perDay.get(d)!, 0) / list.length;
    expect(mean(days.filter((d) => !isWeekend(d)))).toBeGreaterThan(
      mean(days.filter(isWeekend)) * 1.3,
    );
    const hour = (r: EventRow) => new Date(msOf(r.ts)).getUTCHours();
    // Most docs readers are in Europe and the Americas: 13-17 UTC is busy, 02-06 UTC quiet.
    const afternoon = humans.filter((r) => hour(r) >= 13 && hour(r) < 17).length;
    const night = humans.filter((r) => hour(r) >= 2 && hour(r) < 6).length;
    expect(afternoon).toBeGreaterThan(night * 1.5);
  });

  it("gives every event a unique id that carries the run id", () => {
    const ids = new Set(rows.map((r) => r.event_id));
    expect(ids.size).toBe(rows.length);
    expect(rows.filter((r) => !/^01234567-89ab-4cde-af01-[0-9a-f]{12}$/.test(r.event_id))).toEqual(
      [],
    );
    const other = all({ events: 100, runId: "fedcba9876543210ff" });
    for (const row of other) expect(ids.has(row.event_id)).toBe(false);
  });

  it("brings visitors back in several sessions, with a new session after 30 idle minutes", () => {
    const byVisitor = new Map<string, EventRow[]>();
    for (const row of rows) {
      const list = byVisitor.get(row.visitor_id) ?? [];
      list.push(row);
      byVisitor.set(row.visitor_id, list);
    }
    const sessionOwner = new Map<string, string>();
    let returning = 0;
    let manySessions = 0;
    for (const [visitor, events] of byVisitor) {
      events.sort((a, b) => msOf(a.client_ts) - msOf(b.client_ts));
      const sessions = new Set(events.map((e) => e.session_id));
      if (sessions.size > 1) returning++;
      if (sessions.size >= 3) manySessions++;
      for (const s of sessions) {
        expect(sessionOwner.get(s) ?? visitor).toBe(visitor);
        sessionOwner.set(s, visitor);
      }
      for (let i = 1; i < events.length; i++) {
        const prev = events[i - 1]!;
        const cur = events[i]!;
        const gap = msOf(cur.client_ts) - msOf(prev.client_ts);
        if (cur.session_id === prev.session_id) expect(gap).toBeLessThanOrEqual(SESSION_TIMEOUT_MS);
        else expect(gap).toBeGreaterThan(SESSION_TIMEOUT_MS);
      }
      // A session never comes back after another one started.
      const order = events.map((e) => e.session_id).filter((s, i, a) => s !== a[i - 1]);
      expect(new Set(order).size).toBe(order.length);
    }
    expect(returning / byVisitor.size).toBeGreaterThan(0.1);
    expect(manySessions).toBeGreaterThan(20);
    // Sessions hold several pageviews in a row.
    const pageviews = countBy(rows.filter((r) => r.name === "pageview").map((r) => r.session_id));
    expect([...pageviews.values()].filter((n) => n >= 3).length).toBeGreaterThan(300);
  });

  it("includes custom events with properties", () => {
    const byName = (name: string) => rows.filter((r) => r.name === name);
    for (const name of ["signup", "add_to_cart", "download", "outbound", "copy_code", "search"]) {
      const events = byName(name);
      expect(events.length, name).toBeGreaterThan(0);
      for (const e of events) expect(Object.keys(e.props).length, name).toBeGreaterThan(0);
    }
    const purchases = byName("purchase");
    expect(purchases.length).toBeGreaterThan(5);
    for (const p of purchases) {
      expect(p.site_id).toBe("shop.example");
      expect(p.revenue).toBeGreaterThan(0);
      expect(Number(p.revenue.toFixed(2))).toBe(p.revenue);
      expect(["USD", "EUR", "GBP"]).toContain(p.currency);
      expect(p.props.product).toMatch(/^[a-z-]+$/);
      expect(p.props.quantity).toMatch(/^[1-3]$/);
    }
    for (const s of byName("signup")) expect(s.props.plan ?? s.props.method).toBeTruthy();
    for (const e of byName("engagement")) {
      expect(e.engaged_ms).toBeGreaterThan(0);
      expect(e.scroll_depth).toBeGreaterThanOrEqual(0);
      expect(e.scroll_depth).toBeLessThanOrEqual(100);
    }
    for (const s of byName("scroll")) expect(s.scroll_depth).toBeGreaterThanOrEqual(75);
    // People who sign up are identified from then on.
    const identified = rows.filter((r) => r.user_id !== "");
    expect(identified.length).toBeGreaterThan(0);
    for (const r of identified) expect(r.user_id).toMatch(/^(cus|usr)_[0-9a-f]{12}$/);
  });

  it("varies sites, pages, channels, places, devices and languages", () => {
    expect(new Set(rows.map((r) => r.site_id))).toEqual(new Set(DEFAULT_SITE_IDS));
    expect(new Set(rows.map((r) => r.pathname)).size).toBeGreaterThan(150);
    const channels = new Set(rows.map((r) => r.channel));
    for (const c of [
      "direct",
      "organic_search",
      "paid_search",
      "organic_social",
      "paid_social",
      "email",
      "referral",
      "affiliate",
    ]) {
      expect(channels, c).toContain(c);
    }
    expect(new Set(rows.map((r) => r.referrer_domain)).size).toBeGreaterThan(20);
    expect(new Set(rows.map((r) => r.utm_campaign)).size).toBeGreaterThan(10);
    expect(new Set(rows.map((r) => r.country)).size).toBeGreaterThan(15);
    expect(new Set(rows.map((r) => r.city)).size).toBeGreaterThan(40);
    expect(new Set(rows.map((r) => r.device))).toEqual(
      new Set(["desktop", "mobile", "tablet", "bot"]),
    );
    expect(new Set(rows.map((r) => r.browser)).size).toBeGreaterThan(5);
    expect(new Set(rows.map((r) => r.language)).size).toBeGreaterThan(15);
    for (const r of rows) {
      expect(r.country).toMatch(/^([A-Z]{2})?$/);
      if (r.region) expect(r.region.startsWith(`${r.country}-`)).toBe(true);
    }
    const bots = rows.filter((r) => r.is_bot === 1).length / rows.length;
    expect(bots).toBeGreaterThan(0.005);
    expect(bots).toBeLessThan(0.08);
  });

  it("stores landing pages and later pages the way the collector would", async () => {
    const deps: CollectDeps = {
      salts: { saltFor: async (day) => `salt-${day}` },
      sites: { get: (id) => SITES.find((s) => s.id === id) },
    };
    const sample = rows.filter((_, i) => i % 37 === 0);
    expect(sample.some((r) => r.query !== "")).toBe(true);
    for (const row of sample) {
      const client = msOf(row.client_ts);
      const url = `https://${row.hostname}${row.pathname}${row.query ? `?${row.query}` : ""}`;
      // Later pages of a session were reached from the site itself.
      const referrer = row.referrer || (row.channel === "direct" ? `https://${row.hostname}/` : "");
      const body = JSON.stringify({
        s: row.site_id,
        sv: "1",
        e: [{ i: row.event_id, n: row.name, t: client, u: url, r: referrer || undefined }],
      });
      const result = await collect(
        { body, ip: "192.0.2.1", userAgent: "", origin: null, now: client + 500 },
        deps,
      );
      if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
      const stored = result.rows[0]!;
      for (const key of [
        "hostname",
        "pathname",
        "query",
        "referrer",
        "referrer_domain",
        "channel",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
      ] as const) {
        expect(stored[key], `${key} of ${url} from "${referrer}"`).toBe(row[key]);
      }
    }
  });

  it("gives the same rows for the same seed, time and run id", () => {
    const digest = (list: EventRow[]) =>
      createHash("sha256").update(JSON.stringify(list)).digest("hex");
    // A smaller run is the same simulation, cut short.
    const again = all({ events: 5000 });
    expect(digest(again)).toBe(digest(rows.slice(0, 5000)));
    expect(digest(all({ events: 5000, seed: 43 }))).not.toBe(digest(again));
    // A new run id changes only the event ids.
    const rerun = all({ events: 5000, runId: newRunId() });
    const withoutIds = (list: EventRow[]) => list.map((r) => ({ ...r, event_id: "" }));
    expect(digest(withoutIds(rerun))).toBe(digest(withoutIds(again)));
    expect(rerun[0]!.event_id).not.toBe(again[0]!.event_id);
  });

  it("works one batch at a time, even for huge requests", () => {
    const batches = generateEvents({ ...BASE, events: 10_000_000, batchSize: 500 });
    for (let i = 0; i < 3; i++) {
      const batch = batches.next().value as EventRow[];
      expect(batch.length).toBeGreaterThanOrEqual(500);
      expect(batch.length).toBeLessThan(1500);
    }
    batches.return();
  });

  it("works for one site and one day", () => {
    const one = all({ sites: [demoSite("tiny.example", 0)], days: 1, events: 2000 });
    expect(one).toHaveLength(2000);
    for (const r of one) {
      expect(r.site_id).toBe("tiny.example");
      expect(msOf(r.client_ts)).toBeGreaterThanOrEqual(NOW - DAY);
    }
  });

  it("refuses options it cannot honour", () => {
    expect(() => all({ events: 0 })).toThrow(/events must be a positive integer/);
    expect(() => all({ events: 1.5 })).toThrow(/events must be a positive integer/);
    expect(() => all({ days: 0 })).toThrow(/days must be positive/);
    expect(() => all({ runId: "xyz" })).toThrow(/runId/);
    expect(() => all({ sites: [] })).toThrow(/site/);
  });
});

describe("demo lines", () => {
  it("are exactly the rows as JSON, one per line", () => {
    const encoder = new DemoLineEncoder();
    const batch = rows.slice(0, 3000);
    const text = encoder.encode(batch).toString("utf8");
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.split("\n").slice(0, -1);
    expect(lines.map((l) => JSON.parse(l))).toEqual(batch);
    // Non-ASCII city names survive the UTF-8 encoding.
    expect(rows.some((r) => /[^\x20-\x7e]/.test(r.city))).toBe(true);
  });

  it("grow the encoder's buffer when a batch needs more room", () => {
    const encoder = new DemoLineEncoder();
    const many = [...generateEvents({ ...BASE, events: 15_000, batchSize: 15_000 })].flat();
    const bytes = encoder.encode(many);
    expect(bytes.length).toBeGreaterThan(8 * 1024 * 1024);
    const lines = bytes.toString("utf8").split("\n").slice(0, -1);
    expect(lines).toHaveLength(15_000);
    expect(JSON.parse(lines.at(-1)!)).toEqual(many.at(-1));
  });
});
