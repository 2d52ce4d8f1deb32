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
  type Session,
  sessionsIn,
  withDuplicates,
} from "../query/fixture.ts";
import { adminEnv, everySource, login, materialize, testStack } from "../testing/stack.ts";

let stack: Awaited<ReturnType<typeof testStack>>;
let auth: { authorization: string };
const rows: EventRow[] = dataset();

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

type Row = Record<string, string | number | null>;
interface Result {
  from: string;
  to: string;
  columns: { name: string; kind: string }[];
  rows: Row[];
  comparison?: { from: string; to: string; rows: Row[] };
}

async function query(spec: object) {
  const res = await stack.app.inject({
    method: "POST",
    url: "/api/v1/query",
    headers: auth,
    payload: spec,
  });
  return res;
}
async function ok(spec: object): Promise<Result> {
  const res = await query(spec);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Result;
}

const wide: Scope = { sites: ["a.test"], from: "2026-03-01", to: "2026-10-31", tz: "UTC" };

/** Session metrics of a set of sessions, as the model defines them. */
function sessionTotals(sessions: Session[]) {
  return {
    sessions: sessions.length,
    bounce_rate: sessions.length
      ? (100 * sessions.filter((s) => s.pageviews <= 1).length) / sessions.length
      : null,
    views_per_session: mean(sessions.map((s) => s.pageviews)),
    session_duration: mean(sessions.map((s) => s.duration)),
  };
}

/**
 * Headline metrics of a scope, as the model defines them: event metrics over its events in the
 * range, session metrics over the sessions that start in it (made of all the scope's events).
 */
function headline(scope: Scope, data: EventRow[] = rows) {
  const scoped = inScope(data, scope);
  const sessions = sessionsIn(data, scope);
  const engagement = scoped.filter((e) => e.name === "engagement");
  return {
    events: scoped.length,
    pageviews: scoped.filter((e) => e.name === "pageview").length,
    visitors: distinct(scoped.map((e) => `${e.site_id}|${e.visitor_id}`)),
    ...sessionTotals(sessions),
    engaged_time: engagement.length
      ? (mean(engagement.map((e) => e.engaged_ms)) as number) / 1000
      : null,
    scroll_depth: mean(engagement.map((e) => e.scroll_depth)),
    revenue: scoped.reduce((sum, e) => sum + e.revenue, 0),
  };
}

const HEADLINE = [
  "events",
  "pageviews",
  "visitors",
  "sessions",
  "bounce_rate",
  "views_per_session",
  "session_duration",
  "engaged_time",
  "scroll_depth",
  "revenue",
] as const;

function expectClose(actual: Row | undefined, expected: Record<string, number | null>, where = "") {
  expect(actual, where).toBeDefined();
  for (const [k, v] of Object.entries(expected)) {
    if (v === null) expect(actual?.[k], `${where} ${k}`).toBeNull();
    else expect(actual?.[k], `${where} ${k}`).toBeCloseTo(v, 6);
  }
}

/** Whole-hour zones with and without DST, and zones 30 and 45 minutes off the hour. */
const ZONES = [
  "UTC",
  "America/New_York",
  "Europe/Berlin",
  "Asia/Tokyo",
  "Asia/Kolkata",
  "Asia/Kathmandu",
];

describe("POST /api/v1/query", () => {
  it("answers every headline metric as the model does through every source, duplicates and bots left out", async () => {
    await everySource(stack, async (source) => {
      for (const tz of ZONES) {
        const scope = { ...wide, tz };
        const result = await ok({ ...scope, metrics: [...HEADLINE] });
        expect(result.rows, `${source} ${tz}`).toHaveLength(1);
        expectClose(result.rows[0], headline(scope), `${source} ${tz}`);
        // One local day of each DST change: sessions that start in it, measured whole.
        for (const day of ["2026-03-08", "2026-10-25"]) {
          const one = { ...scope, from: day, to: day };
          const answer = await ok({ ...one, metrics: [...HEADLINE] });
          expectClose(answer.rows[0], headline(one), `${source} ${tz} ${day}`);
        }
      }
    });
    // Bots count only when asked for: flagged rows in events, and rows in bot_events (where the
    // shippers route them).
    const bot = eventRow({
      event_id: "bot-table-1",
      at: Date.parse("2026-03-08T12:00:00Z"),
      visitor_id: "bot-only",
      is_bot: 1,
      revenue: 5,
      currency: "EUR",
    });
    await stack.ch.client.insert({
      table: "sightline.bot_events",
      values: [bot, bot],
      format: "JSONEachRow",
    });
    const withBots = { ...wide, includeBots: true };
    await everySource(stack, async (source) => {
      const all = await ok({ ...withBots, metrics: ["events", "visitors", "revenue", "sessions"] });
      const model = headline(withBots, [...rows, bot]);
      expect(all.rows[0]?.events, source).toBe(model.events);
      expect(all.rows[0]?.visitors).toBe(model.visitors);
      expect(all.rows[0]?.revenue).toBeCloseTo(model.revenue, 4);
      expect(all.rows[0]?.sessions).toBe(model.sessions);
      expect(model.events).toBeGreaterThan(headline(wide).events + 1);
      const humans = await ok({ ...wide, metrics: ["events", "sessions"] });
      expect(humans.rows[0]).toEqual({
        events: headline(wide).events,
        sessions: headline(wide).sessions,
      });
    });
  });

  it("counts each local day of a DST change in its own zone", async () => {
    await everySource(stack, async () => {
      for (const [tz, day] of [
        ["America/New_York", "2026-03-08"],
        ["Europe/Berlin", "2026-10-25"],
      ] as const) {
        const scope = { sites: ["a.test", "b.test"], from: day, to: day, tz };
        const result = await ok({ ...scope, granularity: "hour", metrics: ["events", "visitors"] });
        // Every local hour of the day is present, empty ones as zero: 23 on the spring day, 25 on the autumn day.
        expect(result.rows).toHaveLength(day === "2026-03-08" ? 23 : 25);
        const scoped = inScope(rows, scope);
        const hourOf = (e: EventRow) => {
          const ms = msOf(e);
          return Math.floor(ms / 3_600_000) * 3_600_000;
        };
        const byHour = groupBy(scoped, (e) => String(hourOf(e)));
        for (const row of result.rows) {
          const instant = Date.parse(String(row.time));
          const hits = byHour.get(String(instant)) ?? [];
          expect(row.events, String(row.time)).toBe(hits.length);
          expect(row.visitors).toBe(distinct(hits.map((e) => e.visitor_id)));
        }
        expect(result.rows.reduce((s, r) => s + Number(r.events), 0)).toBe(scoped.length);
      }
    });
  });

  it("takes ranges of local hours (the last 24 hours), across midnight, with their comparison", async () => {
    await everySource(stack, async () => {
      const tz = "Europe/Berlin";
      const scope = {
        sites: ["a.test", "b.test"],
        from: "2026-03-08T18:00",
        to: "2026-03-09T17:00",
        tz,
      };
      const start = Date.parse("2026-03-08T17:00:00Z"); // 18:00 in Berlin (UTC+1)
      const end = start + 24 * 3_600_000;
      const seen = new Set<string>();
      const inHours = rows.filter((e) => {
        const ms = msOf(e);
        const keep = ms >= start && ms < end && e.is_bot === 0 && !seen.has(e.event_id);
        if (keep) seen.add(e.event_id);
        return keep && scope.sites.includes(e.site_id);
      });
      const totals = await ok({
        ...scope,
        metrics: ["events", "visitors"],
        compare: "previous_period",
      });
      expect(totals.rows[0]).toEqual({
        events: inHours.length,
        visitors: distinct(inHours.map((e) => e.visitor_id)),
      });
      expect(totals.comparison).toMatchObject({ from: "2026-03-07T18:00", to: "2026-03-08T17:00" });
      const hourly = await ok({ ...scope, granularity: "hour", metrics: ["events"] });
      expect(hourly.rows).toHaveLength(24);
      expect(hourly.rows[0]?.time).toBe("2026-03-08T18:00:00+01:00");
      expect(hourly.rows.reduce((n, r) => n + Number(r.events), 0)).toBe(inHours.length);
      const mixed = await query({ ...scope, to: "2026-03-09", metrics: ["events"] });
      expect(mixed.statusCode).toBe(400);
      expect(mixed.json().message).toMatch(/both bounds as dates, or both as hours/);
    });
  });

  it("buckets by local day, week and month with zero-filled gaps", async () => {
    await everySource(stack, async () => {
      const scope = { sites: ["a.test"], from: "2026-03-02", to: "2026-03-15", tz: "Asia/Tokyo" };
      const scoped = inScope(rows, scope);
      const days = await ok({ ...scope, granularity: "day", metrics: ["pageviews"] });
      expect(days.rows).toHaveLength(14);
      for (const row of days.rows) {
        const expected = scoped.filter(
          (e) => e.name === "pageview" && localDay(msOf(e), scope.tz) === row.time,
        ).length;
        expect(row.pageviews, String(row.time)).toBe(expected);
      }
      const weeks = await ok({ ...scope, granularity: "week", metrics: ["pageviews"] });
      expect(weeks.rows.map((r) => r.time)).toEqual(["2026-03-02", "2026-03-09"]);
      expect(weeks.rows.reduce((s, r) => s + Number(r.pageviews), 0)).toBe(
        scoped.filter((e) => e.name === "pageview").length,
      );
      const months = await ok({
        ...scope,
        from: "2026-02-20",
        to: "2026-04-02",
        granularity: "month",
        metrics: ["events"],
      });
      expect(months.rows.map((r) => r.time)).toEqual(["2026-02-01", "2026-03-01", "2026-04-01"]);
    });
  });

  it("answers the same from rollups as from raw events and the model, in every zone", async () => {
    await everySource(stack, async (source) => {
      for (const tz of ZONES) {
        const scope = { ...wide, tz };
        const result = await ok({
          ...scope,
          granularity: "day",
          dimensions: ["event"],
          metrics: ["events", "pageviews", "visitors"],
          limit: 10_000,
        });
        const scoped = inScope(rows, scope);
        const groups = groupBy(scoped, (e) => `${localDay(msOf(e), tz)}|${e.name}`);
        expect(result.rows.length, `${source} ${tz}`).toBe(groups.size);
        for (const row of result.rows) {
          const hits = groups.get(`${row.time}|${row.event}`) ?? [];
          expect(row.events, `${source} ${tz} ${row.time} ${row.event}`).toBe(hits.length);
          expect(row.pageviews).toBe(hits.filter((e) => e.name === "pageview").length);
          expect(row.visitors).toBe(distinct(hits.map((e) => e.visitor_id)));
        }
      }
    });
  });

  it("keeps session totals exact under late events, copies delivered later and sessions that merge", async () => {
    const totals = ["sessions", "bounce_rate", "views_per_session", "session_duration"];
    const at = (hm: string) => Date.parse(`2026-12-15T${hm}Z`);
    const late = { site_id: "a.test", visitor_id: "vis-late" };
    const first = eventRow({ ...late, event_id: "late-1", at: at("10:01:00") });
    const added: EventRow[] = [];
    const insert = async (values: EventRow[]) => {
      added.push(...values);
      await stack.ch.client.insert({ table: "sightline.events", values, format: "JSONEachRow" });
    };
    const lateDay: Scope = { sites: ["a.test"], from: "2026-12-15", to: "2026-12-15", tz: "UTC" };
    const check = async (where: string) => {
      for (const tz of ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"]) {
        const scope = { ...lateDay, tz };
        const answer = await ok({ ...scope, metrics: totals });
        expectClose(
          answer.rows[0],
          sessionTotals(sessionsIn([...rows, ...added], scope)),
          `${where} ${tz}`,
        );
      }
    };
    // Two sessions, materialized.
    await insert([
      first,
      eventRow({ ...late, event_id: "late-2", at: at("10:29:00"), name: "engagement" }),
      eventRow({ ...late, event_id: "late-6", at: at("11:20:00") }),
    ]);
    await materialize(stack);
    await check("materialized");
    // Late events: one fills the gap, so the two sessions become one; a copy of the first pageview
    // arrives in another half hour; another pageview lands in the first half hour.
    await insert([
      eventRow({ ...late, event_id: "late-3", at: at("10:02:00") }),
      eventRow({ ...late, event_id: "late-5", at: at("10:55:00") }),
      { ...first, ts: eventRow({ event_id: "x", at: at("10:50:00") }).ts },
      first,
    ]);
    await check("late events, not materialized yet");
    await materialize(stack);
    await check("late events, materialized");
    // 10:01-11:20 (pageviews late-1, late-3, late-5, late-6; copies add nothing).
    const day = await ok({ ...lateDay, metrics: totals });
    expect(day.rows[0]).toEqual({
      sessions: 1,
      bounce_rate: 0,
      views_per_session: 4,
      session_duration: 79 * 60,
    });
    // 30 minutes and a millisecond after the last event: a session of its own.
    await insert([eventRow({ ...late, event_id: "late-7", at: at("11:50:00.001") })]);
    await check("a new session, not materialized yet");
    await materialize(stack);
    await check("a new session, materialized");
    expect((await ok({ ...lateDay, metrics: ["sessions"] })).rows[0]?.sessions).toBe(2);
  });

  it("breaks down by dimensions, property keys and session pages through every source", async () => {
    await everySource(stack, async (source) => {
      const scoped = inScope(rows, wide);
      for (const dim of ["page", "country", "browser", "channel", "referrer_domain", "event"]) {
        const col = { page: "pathname", event: "name" }[dim] ?? dim;
        const result = await ok({ ...wide, dimensions: [dim], metrics: ["events", "visitors"] });
        const groups = groupBy(scoped, (e) => String(e[col as keyof EventRow]));
        expect(result.rows, `${source} ${dim}`).toHaveLength(groups.size);
        for (const row of result.rows) {
          const hits = groups.get(String(row[dim])) ?? [];
          expect(row.events, `${source} ${dim} ${row[dim]}`).toBe(hits.length);
          expect(row.visitors).toBe(distinct(hits.map((e) => e.visitor_id)));
        }
        // Sorted by the first metric, largest first.
        const counts = result.rows.map((r) => Number(r.events));
        expect(counts).toEqual([...counts].sort((a, b) => b - a));
      }
      const plans = await ok({
        ...wide,
        dimensions: ["prop:plan"],
        metrics: ["events"],
        filters: [{ dimension: "event", op: "is", value: "signup" }],
      });
      const signups = groupBy(
        scoped.filter((e) => e.name === "signup"),
        (e) => e.props.plan ?? "",
      );
      expect(Object.fromEntries(plans.rows.map((r) => [r["prop:plan"], r.events]))).toEqual(
        Object.fromEntries([...signups].map(([k, v]) => [k, v.length])),
      );

      const sessions = sessionsIn(rows, wide);
      for (const [dim, key] of [
        ["entry_page", "entry"],
        ["exit_page", "exit"],
      ] as const) {
        const result = await ok({
          ...wide,
          dimensions: [dim],
          metrics: ["sessions", "bounce_rate", "visitors", "pageviews"],
          filters: [{ dimension: dim, op: "is_not", value: "" }],
        });
        const groups = groupBy(
          sessions.filter((s) => s[key] !== ""),
          (s) => s[key],
        );
        expect(result.rows, `${source} ${dim}`).toHaveLength(groups.size);
        for (const row of result.rows) {
          const hits = groups.get(String(row[dim])) ?? [];
          expect(row.sessions).toBe(hits.length);
          expect(row.bounce_rate).toBeCloseTo(sessionTotals(hits).bounce_rate ?? -1, 6);
          // Grouped by a session's page, counts are of those sessions.
          expect(row.visitors).toBe(distinct(hits.map((s) => s.visitor)));
          expect(row.pageviews).toBe(hits.reduce((n, s) => n + s.pageviews, 0));
        }
      }
    });
  });

  it("breaks down and filters session metrics by their first event, pages, events and properties", async () => {
    await everySource(stack, async (source) => {
      const sessions = sessionsIn(rows, wide);
      const bySession = async (dim: string, of: (s: Session) => string[], filters?: object[]) => {
        const result = await ok({
          ...wide,
          dimensions: [dim],
          metrics: ["sessions", "bounce_rate", "session_duration"],
          limit: 1000,
          ...(filters ? { filters } : {}),
        });
        const model = new Map<string, Session[]>();
        for (const s of sessions) {
          for (const v of new Set(of(s))) model.set(v, [...(model.get(v) ?? []), s]);
        }
        expect(result.rows.length, `${source} ${dim}`).toBe(model.size);
        for (const row of result.rows) {
          const hits = model.get(String(row[dim])) ?? [];
          expectClose(
            row,
            {
              sessions: hits.length,
              bounce_rate: sessionTotals(hits).bounce_rate,
              session_duration: sessionTotals(hits).session_duration,
            },
            `${source} ${dim} ${row[dim]}`,
          );
        }
      };
      // A session's source, place and device are its first event's.
      await bySession("channel", (s) => [s.first.channel]);
      await bySession("country", (s) => [s.first.country]);
      await bySession("device", (s) => [s.first.device]);
      // It counts under every page it viewed and every event it had.
      await bySession("page", (s) => s.pages);
      await bySession("event", (s) => s.rows.map((e) => e.name));
      // Filtered by the dimension it is grouped by: only the rows that match, not every other page
      // of a session that viewed a matching one.
      await bySession("page", (s) => s.pages.filter((p) => p.includes("blog")), [
        { dimension: "page", op: "contains", value: "blog" },
      ]);
      await bySession("event", (s) => s.rows.map((e) => e.name).filter((n) => n !== "pageview"), [
        { dimension: "event", op: "is_not", value: "pageview" },
      ]);

      const filtered = async (filters: object[], keep: (s: Session) => boolean) => {
        const result = await ok({ ...wide, metrics: ["sessions", "bounce_rate"], filters });
        const hits = sessions.filter(keep);
        expect(hits.length).toBeGreaterThan(0);
        expectClose(
          result.rows[0],
          { sessions: hits.length, bounce_rate: sessionTotals(hits).bounce_rate },
          `${source} ${JSON.stringify(filters)}`,
        );
      };
      await filtered(
        [{ dimension: "country", op: "is", value: "DE" }],
        (s) => s.first.country === "DE",
      );
      await filtered([{ dimension: "page", op: "is", value: "/pricing" }], (s) =>
        s.pages.includes("/pricing"),
      );
      await filtered([{ dimension: "event", op: "is", value: "signup" }], (s) =>
        s.rows.some((e) => e.name === "signup"),
      );
      // Properties: sessions holding an event that matches.
      await filtered([{ dimension: "prop:plan", op: "is", value: "pro" }], (s) =>
        s.rows.some((e) => e.props.plan === "pro"),
      );
      await filtered(
        [
          {
            or: [
              { dimension: "prop:plan", op: "is", value: "team" },
              { dimension: "channel", op: "is", value: "Direct" },
            ],
          },
        ],
        (s) => s.first.channel === "Direct" || s.rows.some((e) => e.props.plan === "team"),
      );
    });
  });

  it("filters with is, is not, contains, does not contain, matches, in, and/or", async () => {
    await everySource(stack, async () => {
      const scoped = inScope(rows, wide);
      const count = async (filters: object[]) =>
        (await ok({ ...wide, metrics: ["events"], filters })).rows[0]?.events;
      const pv = (p: (e: EventRow) => boolean) => scoped.filter(p).length;
      expect(await count([{ dimension: "page", op: "is", value: "/pricing" }])).toBe(
        pv((e) => e.pathname === "/pricing"),
      );
      expect(await count([{ dimension: "page", op: "is_not", value: "/pricing" }])).toBe(
        pv((e) => e.pathname !== "/pricing"),
      );
      expect(await count([{ dimension: "page", op: "contains", value: "BLOG" }])).toBe(
        pv((e) => e.pathname.includes("blog")),
      );
      expect(await count([{ dimension: "page", op: "not_contains", value: "blog" }])).toBe(
        pv((e) => !e.pathname.includes("blog")),
      );
      expect(await count([{ dimension: "page", op: "matches", value: "^/blog/[ab]$" }])).toBe(
        pv((e) => /^\/blog\/[ab]$/.test(e.pathname)),
      );
      expect(await count([{ dimension: "country", op: "in", value: ["DE", "JP"] }])).toBe(
        pv((e) => e.country === "DE" || e.country === "JP"),
      );
      expect(
        await count([
          { dimension: "event", op: "is", value: "pageview" },
          {
            or: [
              { dimension: "browser", op: "is", value: "Safari" },
              {
                and: [
                  { dimension: "country", op: "is", value: "US" },
                  { dimension: "page", op: "is", value: "/" },
                ],
              },
            ],
          },
        ]),
      ).toBe(
        pv(
          (e) =>
            e.name === "pageview" &&
            (e.browser === "Safari" || (e.country === "US" && e.pathname === "/")),
        ),
      );
    });
  });

  it("computes goal conversions and property aggregates", async () => {
    await everySource(stack, async () => {
      const scoped = inScope(rows, wide);
      const visitors = distinct(scoped.map((e) => e.visitor_id));
      const result = await ok({
        ...wide,
        metrics: [
          { name: "conversions", goal: { event: "signup" } },
          { name: "conversion_rate", goal: { page: "/pricing" } },
          { name: "sum", property: "amount", event: "purchase" },
          { name: "max", property: "amount" },
          { name: "quantile", property: "value", q: 0.75, event: "web_vital", label: "p75" },
        ],
      });
      const row = result.rows[0];
      expect(row?.["conversions(event:signup)"]).toBe(pv(scoped, (e) => e.name === "signup"));
      const onPricing = distinct(
        scoped
          .filter((e) => e.name === "pageview" && e.pathname === "/pricing")
          .map((e) => e.visitor_id),
      );
      expect(row?.["conversion_rate(page:/pricing)"]).toBeCloseTo((100 * onPricing) / visitors, 6);
      const amounts = scoped
        .filter((e) => e.props.amount !== undefined)
        .map((e) => Number(e.props.amount));
      expect(row?.["sum(amount)"]).toBe(amounts.reduce((a, b) => a + b, 0));
      expect(row?.["max(amount)"]).toBe(Math.max(...amounts));
      const values = scoped.filter((e) => e.name === "web_vital").map((e) => Number(e.props.value));
      expect(row?.p75).toBeCloseTo(quantile(values, 0.75) as number, 6);
    });
  });

  it("compares with the previous period and a year earlier", async () => {
    await everySource(stack, async () => {
      const scope = { sites: ["a.test"], from: "2026-03-08", to: "2026-03-09", tz: "UTC" };
      const result = await ok({ ...scope, metrics: ["events"], compare: "previous_period" });
      expect(result.comparison?.from).toBe("2026-03-06");
      expect(result.comparison?.to).toBe("2026-03-07");
      expect(result.comparison?.rows[0]?.events).toBe(
        inScope(rows, { ...scope, from: "2026-03-06", to: "2026-03-07" }).length,
      );
      expect(result.rows[0]?.events).toBe(inScope(rows, scope).length);
      const yearly = await ok({
        ...scope,
        from: "2027-10-24",
        to: "2027-10-26",
        metrics: ["events"],
        compare: "year_earlier",
      });
      expect(yearly.rows[0]?.events).toBe(0);
      expect(yearly.comparison?.rows[0]?.events).toBe(
        inScope(rows, { ...scope, from: "2026-10-24", to: "2026-10-26" }).length,
      );
    });
  });

  it("answers an empty range with zeros and nulls, not errors", async () => {
    await everySource(stack, async () => {
      const scope = { sites: ["a.test"], from: "2025-01-01", to: "2025-01-03", tz: "UTC" };
      const totals = await ok({ ...scope, metrics: [...HEADLINE] });
      expectClose(totals.rows[0], headline(scope, []));
      const series = await ok({
        ...scope,
        granularity: "day",
        metrics: ["visitors", "bounce_rate"],
      });
      expect(series.rows).toEqual([
        { time: "2025-01-01", visitors: 0, bounce_rate: null },
        { time: "2025-01-02", visitors: 0, bounce_rate: null },
        { time: "2025-01-03", visitors: 0, bounce_rate: null },
      ]);
      const grouped = await ok({ ...scope, dimensions: ["page"], metrics: ["visitors"] });
      expect(grouped.rows).toEqual([]);
    });
  });

  it("splits sessions after 30 minutes of quiet, not at exactly 30", async () => {
    const t0 = Date.parse("2026-06-01T10:00:00Z");
    const at = (id: string, ms: number, pathname = "/") =>
      eventRow({ event_id: id, at: ms, site_id: "b.test", visitor_id: "gap", pathname });
    await stack.ch.client.insert({
      table: "sightline.events",
      values: [
        at("gap-1", t0),
        at("gap-2", t0 + 30 * 60_000, "/two"), // same session
        at("gap-3", t0 + 60 * 60_000 + 1, "/three"), // a new one
        at("gap-3", t0 + 60 * 60_000 + 1, "/three"), // and its duplicate
      ],
      format: "JSONEachRow",
    });
    const scope = { sites: ["b.test"], from: "2026-06-01", to: "2026-06-01", tz: "UTC" };
    const result = await ok({
      ...scope,
      metrics: ["sessions", "pageviews", "bounce_rate", "session_duration"],
    });
    expect(result.rows[0]).toEqual({
      sessions: 2,
      pageviews: 3,
      bounce_rate: 50,
      session_duration: 900,
    });
  });

  it("answers 400 naming the field for a bad spec", async () => {
    const base = { ...wide, metrics: ["events"] };
    const cases: [object, RegExp][] = [
      [{ ...base, dimensions: ["nope"] }, /dimensions\/0.*unknown dimension/],
      [{ ...base, metrics: ["nope"] }, /metrics\/0/],
      [{ ...base, tz: "Mars/Olympus" }, /tz/],
      [{ ...base, from: "2026-02-30" }, /from/],
      [{ ...base, to: "2026-02-01" }, /to: must not be before from/],
      [{ ...base, sort: [{ by: "visitors" }] }, /sort\/0\/by/],
      [{ ...base, metrics: [{ name: "sum" }] }, /metrics\/0\/property/],
      [{ ...base, metrics: [{ name: "quantile", property: "x" }] }, /metrics\/0\/q/],
      [{ ...base, metrics: [{ name: "conversions", goal: {} }] }, /metrics\/0\/goal/],
      [{ ...base, filters: [{ dimension: "zz", op: "is", value: "x" }] }, /filters\/0\/dimension/],
      [{ ...base, unknownField: 1 }, /unknownField|additional/],
      [{ ...base, limit: 10_000_000 }, /limit/],
      [{ ...base, granularity: "minute", to: "2026-03-10" }, /to: .*minute/],
      [{ ...base, metrics: ["events", "events"] }, /appears twice/],
      [
        { ...base, metrics: ["bounce_rate"], dimensions: ["prop:plan"] },
        /session metrics cannot be grouped by "prop:plan"/,
      ],
      [
        { ...base, filters: [{ dimension: "page", op: "matches", value: "(" }] },
        /filters.*regular expression/,
      ],
    ];
    for (const [spec, message] of cases) {
      const res = await query(spec);
      expect(res.statusCode, JSON.stringify(spec)).toBe(400);
      expect(res.json().message).toMatch(message);
      expect(res.json().message).not.toMatch(/SELECT|sightline\.events/);
    }
    const unknownSite = await query({ ...base, sites: ["zzz.test"] });
    expect(unknownSite.statusCode).toBe(404);
    const anonymous = await stack.app.inject({
      method: "POST",
      url: "/api/v1/query",
      payload: base,
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it("breaks down by weekday and hour of day in the query's zone, and filters by them", async () => {
    await everySource(stack, async () => {
      const tz = "America/New_York";
      const scope = { ...wide, tz };
      const scoped = inScope(rows, scope).filter((e) => e.name === "pageview");
      const local = (e: EventRow) => {
        const parts = Object.fromEntries(
          new Intl.DateTimeFormat("en-US", {
            timeZone: tz,
            weekday: "short",
            hour: "2-digit",
            hourCycle: "h23",
          })
            .formatToParts(msOf(e))
            .map((p) => [p.type, p.value]),
        );
        const day =
          ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(String(parts.weekday)) + 1;
        return `${day}|${parts.hour}`;
      };
      const model = new Map<string, number>();
      for (const e of scoped) model.set(local(e), (model.get(local(e)) ?? 0) + 1);
      const grid = await ok({
        ...scope,
        dimensions: ["day_of_week", "hour_of_day"],
        metrics: ["pageviews"],
        limit: 1000,
      });
      expect(
        new Map(grid.rows.map((r) => [`${r.day_of_week}|${r.hour_of_day}`, Number(r.pageviews)])),
      ).toEqual(model);
      const mondays = await ok({
        ...scope,
        metrics: ["pageviews"],
        filters: [{ dimension: "day_of_week", op: "is", value: "1" }],
      });
      expect(mondays.rows[0]?.pageviews).toBe(
        scoped.filter((e) => local(e).startsWith("1|")).length,
      );
    });
  });

  it("takes an `in` filter with one value", async () => {
    const scope = { ...wide, metrics: ["pageviews"] };
    const one = await ok({
      ...scope,
      filters: [{ dimension: "browser", op: "in", value: ["Firefox"] }],
    });
    const is = await ok({
      ...scope,
      filters: [{ dimension: "browser", op: "is", value: "Firefox" }],
    });
    expect(one.rows).toEqual(is.rows);
    expect(one.rows[0]?.pageviews).toBeGreaterThan(0);
  });

  it("returns the values of labels holding line breaks, tabs, line separators or __proto__", async () => {
    const labels = ["two\nlines", "tab\there", "line\u2028sep", "para\u2029sep", "__proto__"];
    const res = await query({
      ...wide,
      dimensions: ["prop:odd\u2028key"],
      metrics: labels.map((label) => ({ name: "pageviews", label })),
    });
    expect(res.statusCode, res.body).toBe(200);
    // Parsed as JSON.parse does, where "__proto__" is an own key like any other.
    const body = JSON.parse(res.body) as Result;
    expect(body.columns.map((c) => c.name)).toEqual(["prop:odd\u2028key", ...labels]);
    const [row] = body.rows;
    expect(Object.keys(row ?? {})).toEqual(["prop:odd\u2028key", ...labels]);
    const expected = pv(inScope(rows, wide), (e) => e.name === "pageview");
    for (const label of labels) expect(row?.[label], JSON.stringify(label)).toBe(expected);
    const csv = await stack.app.inject({
      method: "POST",
      url: "/api/v1/query/export?format=csv",
      headers: auth,
      payload: { ...wide, metrics: [{ name: "pageviews", label: "two\nlines" }] },
    });
    expect(csv.body).toBe(`"two\nlines"\r\n${expected}\r\n`);
  });

  it("answers 400, the same on every route, for dates the database cannot hold and zones it does not know", async () => {
    const year9999 = { from: "9999-12-30", to: "9999-12-31" };
    for (const [url, payload] of [
      ["/api/v1/query", { ...wide, ...year9999, metrics: ["events"] }],
      ["/api/v1/reports/overview", { ...wide, ...year9999 }],
      ["/api/v1/reports/pages", { ...wide, ...year9999 }],
      ["/api/v1/query/export", { ...wide, ...year9999, metrics: ["events"] }],
    ] as const) {
      const res = await stack.app.inject({ method: "POST", url, headers: auth, payload });
      expect(res.statusCode, `${url} ${res.body}`).toBe(400);
      expect(res.json().message).toBe(
        'body/from: "9999-12-30" is outside 2000-01-01 to 2199-12-31',
      );
    }
    for (const tz of ["US/Pacific-New", "Canada/East-Saskatchewan"]) {
      const message = `"${tz}" is not a time zone the database knows`;
      const daily = await stack.app.inject({
        method: "GET",
        url: `/api/v1/stats/daily?site=a.test&from=2026-03-01&to=2026-03-02&tz=${encodeURIComponent(tz)}`,
        headers: auth,
      });
      expect(daily.statusCode, daily.body).toBe(400);
      expect(daily.json().message).toBe(`querystring/tz: ${message}`);
      for (const url of ["/api/v1/query", "/api/v1/reports/overview", "/api/v1/reports/funnel"]) {
        const res = await stack.app.inject({
          method: "POST",
          url,
          headers: auth,
          payload: {
            ...wide,
            tz,
            metrics: ["events"],
            steps: [{ page: "/" }, { page: "/pricing" }],
          },
        });
        // The funnel and overview refuse `metrics` as an unknown field first; either way a 400.
        expect(res.statusCode, `${url} ${res.body}`).toBe(400);
      }
      const spec = await query({ ...wide, tz, metrics: ["events"] });
      expect(spec.json().message).toBe(`body/tz: ${message}`);
      const overview = await stack.app.inject({
        method: "POST",
        url: "/api/v1/reports/overview",
        headers: auth,
        payload: { ...wide, tz },
      });
      expect(overview.json().message).toBe(`body/tz: ${message}`);
    }
  });

  it("exports any query as CSV or NDJSON", async () => {
    const spec = { ...wide, dimensions: ["page"], metrics: ["events", "bounce_rate"] };
    const json = await ok(spec);
    const csv = await stack.app.inject({
      method: "POST",
      url: "/api/v1/query/export?format=csv",
      headers: auth,
      payload: spec,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/text\/csv/);
    expect(csv.headers["content-disposition"]).toMatch(/attachment; filename="sightline-.*\.csv"/);
    const lines = csv.body.trimEnd().split("\r\n");
    expect(lines[0]).toBe("page,events,bounce_rate");
    expect(lines.slice(1)).toEqual(
      json.rows.map((r) => `${r.page},${r.events},${r.bounce_rate ?? ""}`),
    );
    const nd = await stack.app.inject({
      method: "POST",
      url: "/api/v1/query/export?format=ndjson",
      headers: auth,
      payload: spec,
    });
    expect(nd.headers["content-type"]).toMatch(/ndjson/);
    expect(
      nd.body
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual(json.rows);
    const bad = await stack.app.inject({
      method: "POST",
      url: "/api/v1/query/export?format=xml",
      headers: auth,
      payload: spec,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/format/);
  });
});

function pv(scoped: EventRow[], p: (e: EventRow) => boolean) {
  return scoped.filter(p).length;
}
