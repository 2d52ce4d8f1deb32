import type { EventRow } from "@sightline/edge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dataset,
  distinct,
  eventRow,
  groupBy,
  inScope,
  localDay,
  mean,
  msOf,
  quantile,
  type Scope,
  sessionsOf,
  withDuplicates,
} from "../query/fixture.ts";
import { adminEnv, login, testStack } from "../testing/stack.ts";

let stack: Awaited<ReturnType<typeof testStack>>;
let auth: { authorization: string };
const rows: EventRow[] = dataset(11);

beforeAll(async () => {
  stack = await testStack(adminEnv());
  auth = { authorization: `Bearer ${await login(stack)}` };
  for (const id of ["a.test", "b.test"]) {
    await stack.app.inject({
      method: "POST",
      url: "/api/v1/sites",
      headers: auth,
      payload: { id, domains: [id] },
    });
  }
  await stack.ch.client.insert({
    table: "sightline.events",
    values: withDuplicates(rows),
    format: "JSONEachRow",
  });
});
afterAll(() => stack.close());

// biome-ignore lint/suspicious/noExplicitAny: report answers are checked field by field below
type Json = any;
async function report(name: string, body: object): Promise<Json> {
  const res = await stack.app.inject({
    method: "POST",
    url: `/api/v1/reports/${name}`,
    headers: auth,
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const scope: Scope = {
  sites: ["a.test", "b.test"],
  from: "2026-03-01",
  to: "2026-10-31",
  tz: "Europe/Berlin",
};
const scoped = () => inScope(rows, scope);
const visitorKey = (e: EventRow) => `${e.site_id}|${e.visitor_id}`;

/** name → value of a breakdown's rows. */
const table = (rowsOut: Json[], key: string, value: string) =>
  Object.fromEntries(rowsOut.map((r: Json) => [r[key], r[value]]));

/** Visitors reaching each funnel step: a chain in time order, all within the window. */
function funnelReached(
  rows: EventRow[],
  matches: Array<(e: EventRow) => boolean>,
  window: number,
): number[] {
  const levels = [...groupBy(rows, visitorKey).values()].map((events) => {
    const sorted = [...events].sort((a, b) => msOf(a) - msOf(b));
    const sec = (e: EventRow) => Math.floor(msOf(e) / 1000);
    let best = 0;
    for (const start of sorted.filter(matches[0] as (e: EventRow) => boolean)) {
      let level = 1;
      let last = sec(start);
      for (let k = 1; k < matches.length; k++) {
        const next = sorted.find(
          (e) =>
            (matches[k] as (e: EventRow) => boolean)(e) &&
            sec(e) > last &&
            sec(e) <= sec(start) + window,
        );
        if (!next) break;
        level++;
        last = sec(next);
      }
      best = Math.max(best, level);
    }
    return best;
  });
  return matches.map((_, i) => levels.filter((l) => l >= i + 1).length);
}

describe("standard reports", () => {
  it("overview: headline metrics with comparison, a series and realtime visitors", async () => {
    const now = Date.now();
    await stack.ch.client.insert({
      table: "sightline.events",
      values: [
        eventRow({ event_id: "rt-1", at: now - 60_000, visitor_id: "rt-a" }),
        eventRow({ event_id: "rt-2", at: now - 30_000, visitor_id: "rt-b" }),
        eventRow({ event_id: "rt-3", at: now - 20_000, visitor_id: "rt-b" }),
        eventRow({ event_id: "rt-4", at: now - 10 * 60_000, visitor_id: "rt-old" }),
        eventRow({ event_id: "rt-5", at: now - 5_000, visitor_id: "rt-bot", is_bot: 1 }),
      ],
      format: "JSONEachRow",
    });
    const day = { ...scope, from: "2026-10-25", to: "2026-10-26" };
    const out = await report("overview", { ...day, compare: "previous_period" });
    const model = (s: Scope) => {
      const r = inScope(rows, s);
      const sessions = sessionsOf(r);
      return {
        visitors: distinct(r.map(visitorKey)),
        pageviews: r.filter((e) => e.name === "pageview").length,
        sessions: sessions.length,
        bounce_rate: sessions.length
          ? (100 * sessions.filter((x) => x.pageviews <= 1).length) / sessions.length
          : null,
        views_per_session: mean(sessions.map((x) => x.pageviews)),
        session_duration: mean(sessions.map((x) => x.duration)),
      };
    };
    const close = (a: Json, b: Json) => {
      for (const k of Object.keys(b)) {
        if (b[k] === null) expect(a[k]).toBeNull();
        else expect(a[k], k).toBeCloseTo(b[k], 6);
      }
    };
    close(out.totals, model(day));
    expect(out.comparison.from).toBe("2026-10-23");
    close(out.comparison.totals, model({ ...day, from: "2026-10-23", to: "2026-10-24" }));
    expect(out.granularity).toBe("day");
    expect(out.series).toEqual(
      ["2026-10-25", "2026-10-26"].map((d) => {
        const r = inScope(rows, { ...day, from: d, to: d });
        return {
          time: d,
          visitors: distinct(r.map(visitorKey)),
          pageviews: r.filter((e) => e.name === "pageview").length,
        };
      }),
    );
    expect(out.realtime).toEqual({ visitors: 2, minutes: 5 });
    // One local day gives an hourly series: 25 hours on the day Berlin turns its clocks back.
    const single = await report("overview", { ...scope, from: "2026-10-25", to: "2026-10-25" });
    expect(single.granularity).toBe("hour");
    expect(single.series).toHaveLength(25);
  });

  it("pages, entry and exit pages, sources, geography, devices", async () => {
    const r = scoped();
    const pages = await report("pages", scope);
    const byPage = groupBy(r, (e) => e.pathname);
    expect(table(pages.rows, "page", "pageviews")).toEqual(
      Object.fromEntries(
        [...byPage].map(([k, v]) => [k, v.filter((e) => e.name === "pageview").length]),
      ),
    );
    const engaged = (xs: EventRow[]) => {
      const m = mean(xs.filter((e) => e.name === "engagement").map((e) => e.engaged_ms));
      return m === null ? null : m / 1000;
    };
    for (const row of pages.rows) {
      const want = engaged(byPage.get(row.page) ?? []);
      if (want === null) expect(row.engaged_time).toBeNull();
      else expect(row.engaged_time).toBeCloseTo(want, 6);
    }

    const sessions = sessionsOf(r);
    const entry = await report("pages", { ...scope, by: "entry_page" });
    expect(table(entry.rows, "entry_page", "sessions")).toEqual(
      Object.fromEntries([...groupBy(sessions, (s) => s.entry)].map(([k, v]) => [k, v.length])),
    );
    const exit = await report("pages", { ...scope, by: "exit_page" });
    expect(table(exit.rows, "exit_page", "sessions")).toEqual(
      Object.fromEntries([...groupBy(sessions, (s) => s.exit)].map(([k, v]) => [k, v.length])),
    );

    for (const [name, by] of [
      ["sources", "channel"],
      ["sources", "referrer_domain"],
      ["sources", "utm_source"],
      ["geography", "country"],
      ["geography", "city"],
      ["devices", "browser"],
      ["devices", "device"],
    ] as const) {
      const out = await report(name, { ...scope, by });
      const groups = groupBy(r, (e) => String(e[by]));
      expect(table(out.rows, by, "visitors"), `${name} by ${by}`).toEqual(
        Object.fromEntries([...groups].map(([k, v]) => [k, distinct(v.map(visitorKey))])),
      );
    }
    const channels = await report("sources", scope);
    const sessionsByChannel = groupBy(
      sessions.flatMap((s) => [...new Set(s.rows.map((e) => e.channel))].map((c) => ({ c, s }))),
      (x) => x.c,
    );
    expect(table(channels.rows, "channel", "sessions")).toEqual(
      Object.fromEntries([...sessionsByChannel].map(([k, v]) => [k, v.length])),
    );
  });

  it("events with a property breakdown, and revenue per currency", async () => {
    const r = scoped();
    const events = await report("events", scope);
    expect(table(events.rows, "event", "events")).toEqual(
      Object.fromEntries([...groupBy(r, (e) => e.name)].map(([k, v]) => [k, v.length])),
    );
    const plans = await report("events", { ...scope, event: "signup", property: "plan" });
    expect(table(plans.rows, "prop:plan", "events")).toEqual(
      Object.fromEntries(
        [
          ...groupBy(
            r.filter((e) => e.name === "signup"),
            (e) => e.props.plan ?? "",
          ),
        ].map(([k, v]) => [k, v.length]),
      ),
    );
    const keys = await report("properties", { ...scope, event: "signup" });
    const signupKeys = new Map<string, number>();
    for (const e of r.filter((e) => e.name === "signup")) {
      for (const k of Object.keys(e.props)) signupKeys.set(k, (signupKeys.get(k) ?? 0) + 1);
    }
    expect(signupKeys.size).toBeGreaterThan(0);
    expect(table(keys.keys, "key", "events")).toEqual(Object.fromEntries(signupKeys));
    const allKeys = await report("properties", scope);
    expect(allKeys.keys.length).toBeGreaterThanOrEqual(signupKeys.size);
    const revenue = await report("revenue", scope);
    const byCurrency = groupBy(
      r.filter((e) => e.currency !== ""),
      (e) => e.currency,
    );
    expect(byCurrency.size).toBeGreaterThan(0);
    for (const row of revenue.rows) {
      const hits = byCurrency.get(row.currency) ?? [];
      expect(row.revenue).toBeCloseTo(
        hits.reduce((s, e) => s + e.revenue, 0),
        4,
      );
      expect(row.events).toBe(hits.length);
    }
    expect(revenue.rows).toHaveLength(byCurrency.size);
  });

  it("goals: conversions and conversion rate of pageview and event goals", async () => {
    const r = scoped();
    const out = await report("goals", {
      ...scope,
      goals: [{ page: "/pricing" }, { event: "signup", name: "Signed up" }],
    });
    const visitors = distinct(r.map(visitorKey));
    const goal = (p: (e: EventRow) => boolean, name: string) => {
      const hits = r.filter(p);
      const converted = distinct(hits.map(visitorKey));
      return {
        name,
        conversions: hits.length,
        visitors: converted,
        conversion_rate: (100 * converted) / visitors,
      };
    };
    expect(out.visitors).toBe(visitors);
    const want = [
      goal((e) => e.name === "pageview" && e.pathname === "/pricing", "Visit /pricing"),
      goal((e) => e.name === "signup", "Signed up"),
    ];
    out.goals.forEach((g: Json, i: number) => {
      expect({ ...g, conversion_rate: 0 }).toEqual({ ...want[i], conversion_rate: 0 });
      expect(g.conversion_rate).toBeCloseTo(want[i]?.conversion_rate ?? -1, 6);
    });
    const bad = await stack.app.inject({
      method: "POST",
      url: "/api/v1/reports/goals",
      headers: auth,
      payload: { ...scope, goals: [{ page: "/", event: "x" }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/goals\/0/);
  });

  it("funnel: visitors per ordered step within the window", async () => {
    const steps = [{ page: "/" }, { page: "/pricing" }, { event: "purchase" }];
    const window = 1800;
    const out = await report("funnel", { ...scope, steps, window });
    const matches = [
      (e: EventRow) => e.name === "pageview" && e.pathname === "/",
      (e: EventRow) => e.name === "pageview" && e.pathname === "/pricing",
      (e: EventRow) => e.name === "purchase",
    ];
    const reached = funnelReached(scoped(), matches, window);
    expect(out.steps.map((s: Json) => s.visitors)).toEqual(reached);
    expect(reached[0]).toBeGreaterThan(reached[2] ?? 0);
    out.steps.forEach((s: Json, i: number) => {
      const prev = i === 0 ? reached[0] : reached[i - 1];
      expect(s.drop_off).toBe((prev ?? 0) - (reached[i] ?? 0));
      expect(s.conversion_rate).toBeCloseTo((100 * (reached[i] ?? 0)) / (reached[0] ?? 1), 6);
    });
    expect(out.steps[0].name).toBe("Visit /");
  });

  it("funnel, journeys and web vitals under a session filter read only sessions that entered on the page", async () => {
    const entered = sessionsOf(scoped()).filter((x) => x.entry === "/");
    const rows = entered.flatMap((x) => x.rows);
    const filters = [{ dimension: "entry_page", op: "is", value: "/" }];
    const steps = [{ page: "/" }, { page: "/pricing" }];
    const funnel = await report("funnel", { ...scope, steps, window: 1800, filters });
    const matches = [
      (e: EventRow) => e.name === "pageview" && e.pathname === "/",
      (e: EventRow) => e.name === "pageview" && e.pathname === "/pricing",
    ];
    expect(funnel.steps.map((s: Json) => s.visitors)).toEqual(funnelReached(rows, matches, 1800));
    expect(funnel.steps[0].visitors).toBeGreaterThan(0);
    const journeys = await report("journeys", { ...scope, page: "/", steps: 1, filters });
    const starts = entered.filter((x) => x.rows.some((e) => e.name === "pageview"));
    expect(journeys.sessions).toBe(starts.length);
    const vitals = await report("web-vitals", { ...scope, filters });
    const samples = rows.filter((e) => e.name === "web_vital");
    for (const m of vitals.metrics) {
      expect(m.samples).toBe(samples.filter((e) => e.props.metric === m.metric).length);
    }
    expect(vitals.metrics.some((m: Json) => m.samples > 0)).toBe(true);
  });

  it("retention: daily and weekly cohorts in the local zone", async () => {
    for (const period of ["day", "week"] as const) {
      const s = { ...scope, from: "2026-10-20", to: "2026-11-05", tz: "America/New_York" };
      const out = await report("retention", { ...s, period });
      const periodOf = (e: EventRow) => {
        const day = localDay(msOf(e), s.tz);
        if (period === "day") return day;
        const ms = Date.parse(`${day}T00:00:00Z`);
        const monday = ms - ((new Date(ms).getUTCDay() + 6) % 7) * 86_400_000;
        return new Date(monday).toISOString().slice(0, 10);
      };
      const perVisitor = [...groupBy(inScope(rows, s), visitorKey).values()].map(
        (events) => new Set(events.map(periodOf)),
      );
      const step = period === "day" ? 1 : 7;
      const want = new Map<string, Map<number, number>>();
      for (const set of perVisitor) {
        const cohort = [...set].sort()[0] as string;
        const m = want.get(cohort) ?? new Map<number, number>();
        for (const p of set) {
          const k = Math.round((Date.parse(p) - Date.parse(cohort)) / 86_400_000 / step);
          m.set(k, (m.get(k) ?? 0) + 1);
        }
        want.set(cohort, m);
      }
      expect(out.cohorts.map((c: Json) => c.cohort)).toEqual([...want.keys()].sort());
      for (const c of out.cohorts) {
        const m = want.get(c.cohort) as Map<number, number>;
        expect(c.visitors).toBe(m.get(0));
        for (const r of c.retention)
          expect(r.visitors, `${c.cohort}+${r.period}`).toBe(m.get(r.period) ?? 0);
        for (const k of m.keys()) expect(c.retention[k]).toBeDefined();
      }
    }
  });

  it("journeys: top paths after and before a page", async () => {
    const sessions = sessionsOf(scoped());
    const pathsOf = (direction: "after" | "before", page: string, steps: number) => {
      const counts = new Map<string, number>();
      for (const s of sessions) {
        const visited = s.rows.filter((e) => e.name === "pageview").map((e) => e.pathname);
        const pages = visited.filter((p, i) => i === 0 || p !== visited[i - 1]);
        const at = pages.indexOf(page);
        if (at < 0) continue;
        const path =
          direction === "after"
            ? pages.slice(at, at + steps + 1)
            : pages.slice(Math.max(0, at - steps), at + 1);
        counts.set(JSON.stringify(path), (counts.get(JSON.stringify(path)) ?? 0) + 1);
      }
      return counts;
    };
    for (const direction of ["after", "before"] as const) {
      const out = await report("journeys", {
        ...scope,
        page: "/pricing",
        direction,
        steps: 2,
        limit: 1000,
      });
      const want = pathsOf(direction, "/pricing", 2);
      expect(out.sessions).toBe([...want.values()].reduce((a, b) => a + b, 0));
      expect(
        Object.fromEntries(out.paths.map((p: Json) => [JSON.stringify(p.pages), p.sessions])),
      ).toEqual(Object.fromEntries(want));
      const counts = out.paths.map((p: Json) => p.sessions);
      expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
    }
  });

  it("errors: grouped by fingerprint, with a triage state kept by the backend", async () => {
    const errors = scoped().filter((e) => e.name === "error");
    const groups = groupBy(errors, (e) => `${e.site_id}|${e.props.fp}`);
    const out = await report("errors", scope);
    expect(out.errors).toHaveLength(groups.size);
    for (const g of out.errors) {
      const hits = groups.get(`${g.site}|${g.fingerprint}`) ?? [];
      expect(g.occurrences).toBe(hits.length);
      expect(g.visitors).toBe(distinct(hits.map(visitorKey)));
      expect(g.message).toBe(`Boom ${g.fingerprint}`);
      expect(g.state).toBe("unresolved");
      expect(Date.parse(g.first_seen)).toBe(Math.min(...hits.map(msOf)));
    }
    // Nothing triaged yet: every group is unresolved, none resolved.
    expect((await report("errors", { ...scope, state: "unresolved" })).errors).toHaveLength(
      groups.size,
    );
    expect((await report("errors", { ...scope, state: "resolved" })).errors).toEqual([]);
    const target = out.errors[0];
    const put = await stack.app.inject({
      method: "PUT",
      url: `/api/v1/errors/${target.site}/${target.fingerprint}`,
      headers: auth,
      payload: { state: "resolved" },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ state: "resolved", updatedBy: "admin@example.test" });
    const resolved = await report("errors", { ...scope, state: "resolved" });
    expect(resolved.errors.map((e: Json) => e.fingerprint)).toEqual([target.fingerprint]);
    expect(resolved.errors[0].state).toBe("resolved");
    const open = await report("errors", { ...scope, state: "unresolved" });
    expect(open.errors).toHaveLength(groups.size - 1);
    const all = await report("errors", scope);
    expect(
      all.errors.find((e: Json) => e.fingerprint === target.fingerprint && e.site === target.site)
        .state,
    ).toBe("resolved");
    const badState = await stack.app.inject({
      method: "PUT",
      url: `/api/v1/errors/${target.site}/${target.fingerprint}`,
      headers: auth,
      payload: { state: "deleted" },
    });
    expect(badState.statusCode).toBe(400);
    expect(badState.json().message).toMatch(/state/);
  });

  it("web vitals: percentiles and ratings per metric", async () => {
    const out = await report("web-vitals", scope);
    const vitals = scoped().filter((e) => e.name === "web_vital");
    expect(out.metrics.map((m: Json) => m.metric)).toEqual(["LCP", "INP", "CLS", "FCP", "TTFB"]);
    for (const m of out.metrics) {
      const hits = vitals.filter((e) => e.props.metric === m.metric);
      const values = hits.map((e) => Number(e.props.value));
      expect(m.samples).toBe(hits.length);
      for (const [key, q] of [
        ["p50", 0.5],
        ["p75", 0.75],
        ["p95", 0.95],
      ] as const) {
        const want = quantile(values, q);
        if (want === null) expect(m[key]).toBeNull();
        else expect(m[key]).toBeCloseTo(want, 6);
      }
      expect(m.good).toBe(hits.filter((e) => e.props.rating === "good").length);
      expect(m.poor).toBe(hits.filter((e) => e.props.rating === "poor").length);
    }
    const empty = await report("web-vitals", { ...scope, from: "2024-01-01", to: "2024-01-01" });
    expect(empty.metrics[0]).toMatchObject({ samples: 0, p75: null, good: 0 });
  });

  it("serves the OpenAPI document with schemas for every route, and a docs page", async () => {
    const res = await stack.app.inject({ method: "GET", url: "/api/v1/openapi.json" });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.paths);
    for (const p of [
      "/api/v1/query",
      "/api/v1/query/export",
      "/api/v1/reports/overview",
      "/api/v1/reports/funnel",
      "/api/v1/reports/retention",
      "/api/v1/reports/journeys",
      "/api/v1/reports/errors",
      "/api/v1/reports/web-vitals",
      "/api/v1/errors/{site}/{fingerprint}",
      "/api/v1/sites",
    ]) {
      expect(paths).toContain(p);
    }
    expect(paths.some((p) => p.startsWith("/sl/"))).toBe(false);
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(
          op.responses?.["200"] ??
            op.responses?.["201"] ??
            op.responses?.["302"] ??
            op.responses?.["303"],
          `${method} ${path}`,
        ).toBeDefined();
        // Actions (duplicate, restore a version, sign out, issue a reset link) take no body.
        const action = /\/(duplicate|restore|logout)$|\/users\/\{id\}\/password-reset$/.test(path);
        if ((method === "post" || method === "put") && !action)
          expect(op.requestBody, `${method} ${path}`).toBeDefined();
      }
    }
    expect(
      doc.paths["/api/v1/query"].post.requestBody.content["application/json"].schema.properties
        .metrics,
    ).toBeDefined();
    const docs = await stack.app.inject({ method: "GET", url: "/api/v1/docs/" });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toMatch(/swagger/i);
  });
});
