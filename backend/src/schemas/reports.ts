import { type Static, Type } from "typebox";
import { Compare, Filters, Goal, Granularity, QueryResult, RangeFields } from "./query.ts";

/** What every standard report takes: sites, range, zone, filters. */
const Base = {
  ...RangeFields,
  filters: Type.Optional(Filters),
};
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 }));

export const OverviewBody = Type.Object(
  { ...Base, granularity: Type.Optional(Granularity), compare: Type.Optional(Compare) },
  { additionalProperties: false },
);
export type OverviewBody = Static<typeof OverviewBody>;

const Headline = Type.Object({
  visitors: Type.Number(),
  pageviews: Type.Number(),
  sessions: Type.Number(),
  bounce_rate: Type.Union([Type.Number(), Type.Null()]),
  views_per_session: Type.Union([Type.Number(), Type.Null()]),
  session_duration: Type.Union([Type.Number(), Type.Null()]),
});

export const OverviewResult = Type.Object({
  from: Type.String(),
  to: Type.String(),
  tz: Type.String(),
  granularity: Granularity,
  totals: Headline,
  comparison: Type.Optional(
    Type.Object({ from: Type.String(), to: Type.String(), totals: Headline }),
  ),
  series: Type.Array(
    Type.Object({ time: Type.String(), visitors: Type.Number(), pageviews: Type.Number() }),
  ),
  realtime: Type.Object({ visitors: Type.Number(), minutes: Type.Number() }),
});
export type OverviewResult = Static<typeof OverviewResult>;

/** Breakdowns (pages, sources, geography, devices, events) answer in the query API's shape. */
export const BreakdownResult = QueryResult;

const breakdown = <T extends string>(by: T[], fallback: T) =>
  Type.Object(
    {
      ...Base,
      by: Type.Optional(Type.Enum(by, { default: fallback })),
      compare: Type.Optional(Compare),
      limit: Limit,
    },
    { additionalProperties: false },
  );

export const PagesBody = breakdown(["page", "entry_page", "exit_page", "hostname"], "page");
export const SourcesBody = breakdown(
  [
    "channel",
    "referrer",
    "referrer_domain",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
  ],
  "channel",
);
export const GeographyBody = breakdown(["country", "region", "city"], "country");
export const DevicesBody = breakdown(
  ["device", "browser", "browser_version", "os", "os_version", "language"],
  "browser",
);
export type BreakdownBody = Omit<Static<typeof PagesBody>, "by"> & { by?: string };

export const EventsBody = Type.Object(
  {
    ...Base,
    event: Type.Optional(
      Type.String({
        pattern: "^[\\w.:-]{1,64}$",
        description: "break one event down by a property",
      }),
    ),
    property: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    compare: Type.Optional(Compare),
    limit: Limit,
  },
  { additionalProperties: false },
);
export type EventsBody = Static<typeof EventsBody>;

export const PropertiesBody = Type.Object(
  {
    ...Base,
    event: Type.Optional(
      Type.String({ pattern: "^[\\w.:-]{1,64}$", description: "only this event's properties" }),
    ),
    limit: Limit,
  },
  { additionalProperties: false },
);
export type PropertiesBody = Static<typeof PropertiesBody>;

export const PropertiesResult = Type.Object({
  from: Type.String(),
  to: Type.String(),
  tz: Type.String(),
  keys: Type.Array(
    Type.Object({ key: Type.String(), events: Type.Number(), visitors: Type.Number() }),
  ),
});
export type PropertiesResult = Static<typeof PropertiesResult>;

export const RevenueBody = Type.Object(
  { ...Base, compare: Type.Optional(Compare), limit: Limit },
  { additionalProperties: false },
);
export type RevenueBody = Static<typeof RevenueBody>;

const NamedGoal = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    page: Goal.properties.page,
    event: Goal.properties.event,
  },
  { additionalProperties: false, description: "exactly one of page or event" },
);

export const GoalsBody = Type.Object(
  { ...Base, goals: Type.Array(NamedGoal, { minItems: 1, maxItems: 20 }) },
  { additionalProperties: false },
);
export type GoalsBody = Static<typeof GoalsBody>;

export const GoalsResult = Type.Object({
  from: Type.String(),
  to: Type.String(),
  tz: Type.String(),
  visitors: Type.Number(),
  goals: Type.Array(
    Type.Object({
      name: Type.String(),
      conversions: Type.Number(),
      visitors: Type.Number(),
      conversion_rate: Type.Number(),
    }),
  ),
});
export type GoalsResult = Static<typeof GoalsResult>;

export const FunnelBody = Type.Object(
  {
    ...Base,
    steps: Type.Array(NamedGoal, { minItems: 2, maxItems: 8 }),
    window: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 90 * 86_400, default: 86_400, description: "seconds" }),
    ),
  },
  { additionalProperties: false },
);
export type FunnelBody = Static<typeof FunnelBody>;

export const FunnelResult = Type.Object({
  from: Type.String(),
  to: Type.String(),
  tz: Type.String(),
  window: Type.Number(),
  steps: Type.Array(
    Type.Object({
      name: Type.String(),
      visitors: Type.Number(),
      /** Percent of the first step's visitors. */
      conversion_rate: Type.Number(),
      /** Percent of the previous step's visitors. */
      step_conversion_rate: Type.Number(),
      drop_off: Type.Number(),
    }),
  ),
});
export type FunnelResult = Static<typeof FunnelResult>;

export const RetentionBody = Type.Object(
  { ...Base, period: Type.Optional(Type.Enum(["day", "week"], { default: "week" })) },
  { additionalProperties: false },
);
export type RetentionBody = Static<typeof RetentionBody>;

export const RetentionResult = Type.Object({
  from: Type.String(),
  to: Type.String(),
  tz: Type.String(),
  period: Type.Enum(["day", "week"]),
  cohorts: Type.Array(
    Type.Object({
      cohort: Type.String(),
      visitors: Type.Number(),
      retention: Type.Array(
        Type.Object({ period: Type.Number(), visitors: Type.Number(), rate: Type.Number() }),
      ),
    }),
  ),
});
export type RetentionResult = Static<typeof RetentionResult>;

export const JourneysBody = Type.Object(
  {
    ...Base,
    page: Type.String({ minLength: 1, maxLength: 1024 }),
    direction: Type.Optional(Type.Enum(["after", "before"], { default: "after" })),
    steps: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, default: 3 })),
    limit: Limit,
  },
  { additionalProperties: false },
);
export type JourneysBody = Static<typeof JourneysBody>;

export const JourneysResult = Type.Object({
  from: Type.String(),
  to: Type.String(),
  tz: Type.String(),
  page: Type.String(),
  direction: Type.Enum(["after", "before"]),
  sessions: Type.Number(),
  paths: Type.Array(Type.Object({ pages: Type.Array(Type.String()), sessions: Type.Number() })),
});
export type JourneysResult = Static<typeof JourneysResult>;

export const TriageState = Type.Enum(["unresolved", "resolved", "ignored"]);
export type TriageState = Static<typeof TriageState>;

export const ErrorsBody = Type.Object(
  { ...Base, state: Type.Optional(TriageState), limit: Limit },
  { additionalProperties: false },
);
export type ErrorsBody = Static<typeof ErrorsBody>;

export const ErrorsResult = Type.Object({
  from: Type.String(),
  to: Type.String(),
  tz: Type.String(),
  errors: Type.Array(
    Type.Object({
      site: Type.String(),
      fingerprint: Type.String(),
      message: Type.String(),
      type: Type.String(),
      source: Type.String(),
      occurrences: Type.Number(),
      visitors: Type.Number(),
      first_seen: Type.String(),
      last_seen: Type.String(),
      state: TriageState,
    }),
  ),
});
export type ErrorsResult = Static<typeof ErrorsResult>;

export const TriageParams = Type.Object(
  {
    site: Type.String({ minLength: 1, maxLength: 253 }),
    fingerprint: Type.String({ pattern: "^[\\w.:-]{1,128}$" }),
  },
  { additionalProperties: false },
);
export const TriageBody = Type.Object({ state: TriageState }, { additionalProperties: false });
export const TriageView = Type.Object({
  site: Type.String(),
  fingerprint: Type.String(),
  state: TriageState,
  updatedAt: Type.String(),
  updatedBy: Type.String(),
});
export type TriageView = Static<typeof TriageView>;

/** Realtime has no range: it always covers the last half hour up to now. */
export const RealtimeBody = Type.Object(
  { sites: Base.sites, includeBots: Base.includeBots, filters: Base.filters },
  { additionalProperties: false },
);
export type RealtimeBody = Static<typeof RealtimeBody>;

const Count = Type.Integer({ minimum: 0 });
export const RealtimeResult = Type.Object({
  visitors: Type.Integer({ minimum: 0, description: "distinct visitors in the last 5 minutes" }),
  minutes: Type.Array(
    Type.Object({
      time: Type.String({ format: "date-time", description: "the minute's start, UTC" }),
      visitors: Count,
      pageviews: Count,
    }),
    { description: "the last 30 whole minutes and the current one, oldest first, empty ones 0" },
  ),
  pages: Type.Array(Type.Object({ page: Type.String(), visitors: Count }), {
    description: "top 10 pages by visitors in the last 5 minutes",
  }),
  sources: Type.Array(
    Type.Object({
      source: Type.String({ description: "the referring domain, or the channel without one" }),
      visitors: Count,
    }),
    { description: "top 10 sources by visitors in the last 5 minutes" },
  ),
});
export type RealtimeResult = Static<typeof RealtimeResult>;

export const VitalsBody = Type.Object({ ...Base }, { additionalProperties: false });
export type VitalsBody = Static<typeof VitalsBody>;

const Maybe = Type.Union([Type.Number(), Type.Null()]);
export const VitalsResult = Type.Object({
  from: Type.String(),
  to: Type.String(),
  tz: Type.String(),
  metrics: Type.Array(
    Type.Object({
      metric: Type.Enum(["LCP", "INP", "CLS", "FCP", "TTFB"]),
      samples: Type.Number(),
      p50: Maybe,
      p75: Maybe,
      p95: Maybe,
      good: Type.Number(),
      needs_improvement: Type.Number(),
      poor: Type.Number(),
    }),
  ),
});
export type VitalsResult = Static<typeof VitalsResult>;
