import { type Static, Type } from "typebox";

/**
 * The typed query spec of `POST /api/v1/query` and the pieces the standard reports share.
 * Strings here are only ever bound as ClickHouse parameters or matched against allowlists.
 */

const Day = Type.String({
  pattern: "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:00)?$",
  description:
    "a local date of `tz`, YYYY-MM-DD; or a local hour, YYYY-MM-DDThh:00 (then both bounds are hours, both inclusive)",
});
const SiteId = Type.String({ minLength: 1, maxLength: 253 });
const Text = Type.String({ maxLength: 1024 });

export const Granularity = Type.Enum(["minute", "hour", "day", "week", "month"]);
export type Granularity = Static<typeof Granularity>;

export const Compare = Type.Enum(["previous_period", "year_earlier"], {
  description: "also run the query over the previous period of the same length, or a year earlier",
});
export type Compare = Static<typeof Compare>;

/** Sites, a range of local dates (both inclusive) and the time zone they are in. */
export const RangeFields = {
  sites: Type.Array(SiteId, { minItems: 1, maxItems: 20, description: "site ids" }),
  from: Day,
  to: Day,
  tz: Type.String({
    default: "UTC",
    minLength: 1,
    maxLength: 64,
    description: "IANA time zone, e.g. Europe/Berlin",
  }),
  includeBots: Type.Optional(
    Type.Boolean({ description: "count traffic flagged as bots too (default false)" }),
  ),
};

export const Dimension = Type.String({
  minLength: 1,
  maxLength: 80,
  description:
    "page, entry_page, exit_page, hostname, referrer, referrer_domain, channel, utm_source, utm_medium, utm_campaign, utm_term, utm_content, country, region, city, browser, browser_version, os, os_version, device, language, event, currency, day_of_week (1 Monday to 7 Sunday) and hour_of_day (00 to 23) in the query's zone, or prop:<key> for an event property",
});

export const FilterOp = Type.Enum(["is", "is_not", "contains", "not_contains", "matches", "in"]);
export type FilterOp = Static<typeof FilterOp>;

export const Condition = Type.Object(
  {
    dimension: Dimension,
    op: FilterOp,
    value: Type.Union([Text, Type.Array(Text, { minItems: 1, maxItems: 100 })], {
      description: "a string; a list for `in`",
    }),
  },
  { additionalProperties: false },
);
export type Condition = Static<typeof Condition>;

const InnerGroup = Type.Union([
  Type.Object(
    { and: Type.Array(Condition, { minItems: 1, maxItems: 20 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { or: Type.Array(Condition, { minItems: 1, maxItems: 20 }) },
    { additionalProperties: false },
  ),
]);
const Member = Type.Union([Condition, InnerGroup]);

/** A condition, or an and/or group of conditions and groups (two levels deep). */
export const Filter = Type.Union([
  Condition,
  Type.Object(
    { and: Type.Array(Member, { minItems: 1, maxItems: 20 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { or: Type.Array(Member, { minItems: 1, maxItems: 20 }) },
    { additionalProperties: false },
  ),
]);
export type Filter = Static<typeof Filter>;

/** How much one spec may ask for; `GET /query/meta` reports these very numbers. */
export const SPEC_LIMITS = { metrics: 20, dimensions: 5, filters: 20, limit: 10_000 } as const;

/** The top-level filters are combined with AND. */
export const Filters = Type.Array(Filter, { maxItems: SPEC_LIMITS.filters });

const EventName = Type.String({ pattern: "^[\\w.:-]{1,64}$", description: "an event name" });
const PropertyKey = Type.String({ minLength: 1, maxLength: 64, description: "a property key" });

/** A goal: a pageview of a path, or an event by name. */
export const Goal = Type.Object(
  {
    page: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    event: Type.Optional(EventName),
  },
  { additionalProperties: false, description: "exactly one of page or event" },
);
export type Goal = Static<typeof Goal>;

export const SimpleMetric = Type.Enum([
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
]);
export type SimpleMetric = Static<typeof SimpleMetric>;

export const MetricObject = Type.Object(
  {
    name: Type.Enum([
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
      "conversions",
      "converted_visitors",
      "conversion_rate",
      "sum",
      "avg",
      "min",
      "max",
      "quantile",
    ]),
    goal: Type.Optional(Goal),
    property: Type.Optional(PropertyKey),
    q: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
    event: Type.Optional(EventName),
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type MetricObject = Static<typeof MetricObject>;

export const Metric = Type.Union([SimpleMetric, MetricObject]);
export type Metric = Static<typeof Metric>;

export const Sort = Type.Object(
  {
    by: Type.String({ minLength: 1, maxLength: 80, description: "a metric or dimension label" }),
    dir: Type.Optional(Type.Enum(["asc", "desc"])),
  },
  { additionalProperties: false },
);

export const QuerySpec = Type.Object(
  {
    ...RangeFields,
    granularity: Type.Optional(Granularity),
    metrics: Type.Array(Metric, { minItems: 1, maxItems: SPEC_LIMITS.metrics }),
    dimensions: Type.Optional(Type.Array(Dimension, { maxItems: SPEC_LIMITS.dimensions })),
    filters: Type.Optional(Filters),
    sort: Type.Optional(Type.Array(Sort, { maxItems: 5 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: SPEC_LIMITS.limit })),
    compare: Type.Optional(Compare),
  },
  { additionalProperties: false },
);
export type QuerySpec = Static<typeof QuerySpec>;

export const Cell = Type.Union([Type.String(), Type.Number(), Type.Null()]);
/**
 * A row keyed by column name. Not `Type.Record`: its serializer matches keys with `^.*$`, and
 * `.` skips line breaks, so a label holding one silently lost its value.
 */
export const Row = Type.Unsafe<Record<string, string | number | null>>(
  Type.Object({}, { additionalProperties: Cell }),
);
export type Row = Static<typeof Row>;

export const Column = Type.Object({
  name: Type.String(),
  kind: Type.Enum(["time", "dimension", "metric"]),
});
export type Column = Static<typeof Column>;

const Period = { from: Type.String(), to: Type.String() };

export const QueryResult = Type.Object({
  ...Period,
  tz: Type.String(),
  columns: Type.Array(Column),
  rows: Type.Array(Row),
  comparison: Type.Optional(Type.Object({ ...Period, rows: Type.Array(Row) })),
});
export type QueryResult = Static<typeof QueryResult>;

export const ExportQuery = Type.Object(
  { format: Type.Enum(["csv", "ndjson"], { default: "csv" }) },
  { additionalProperties: false },
);

const Needs = Type.Enum(["goal", "property", "q"]);

/** `GET /query/meta`: what a spec may name, built from the compiler's own lists (src/query/meta.ts). */
export const QueryMeta = Type.Object({
  metrics: Type.Array(
    Type.Object({
      name: Type.String(),
      label: Type.String(),
      kind: Type.Enum(["count", "rate", "duration", "decimal", "money", "number"], {
        description:
          "how to show its values: count (whole numbers), rate (percent), duration (seconds), decimal, money (in the row's currency), number (a property's own unit)",
      }),
      needs: Type.Optional(
        Type.Array(Needs, {
          description: "fields the metric object must carry: goal, property, q (a quantile)",
        }),
      ),
      session: Type.Boolean({ description: "computed per session (needs the session stage)" }),
    }),
  ),
  dimensions: Type.Array(
    Type.Object({ name: Type.String(), label: Type.String(), session: Type.Boolean() }),
  ),
  propertyDimension: Type.String({
    description: "the pattern of a property dimension: prop:<key>",
  }),
  filterOps: Type.Array(FilterOp),
  granularities: Type.Array(
    Type.Object({
      name: Granularity,
      maxDays: Type.Integer({ description: "the longest range at this granularity" }),
    }),
  ),
  maxDays: Type.Integer({ description: "the longest range of any query" }),
  compare: Type.Array(Compare),
  limits: Type.Object({
    metrics: Type.Integer(),
    dimensions: Type.Integer(),
    filters: Type.Integer(),
    limit: Type.Integer({ description: "the largest `limit`" }),
  }),
});
export type QueryMeta = Static<typeof QueryMeta>;
