import { type Static, Type } from "typebox";
import { ErrorBody } from "./common.ts";
import { Filters, QuerySpec } from "./query.ts";
import { FunnelBody, JourneysBody, RetentionBody } from "./reports.ts";

/**
 * Custom dashboards and their widgets (issue 14), stored in LMDB (src/store/dashboards.ts). A
 * widget's source is exactly the body its own route takes, so the builder previews with the
 * same spec it saves, and a viewer's range replaces `from`/`to` only when drawing.
 */

const Id = Type.String({ pattern: "^[\\w-]{1,64}$" });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const SiteId = Type.String({ minLength: 1, maxLength: 253 });
const Hex = Type.String({
  pattern: "^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$",
  description: "a CSS hex colour: #rgb, #rgba, #rrggbb or #rrggbbaa",
});

/** Periods a widget may be pinned to; the frontend turns them into dates in the site's zone. */
export const Period = Type.Enum([
  "today",
  "yesterday",
  "24h",
  "7d",
  "28d",
  "30d",
  "91d",
  "month",
  "last_month",
  "year",
  "12mo",
]);
export type Period = Static<typeof Period>;

export const VisualType = Type.Enum([
  "number",
  "line",
  "area",
  "bar",
  "stacked_bar",
  "pie",
  "table",
  "map",
  "funnel",
  "retention",
  "sankey",
  "heatmap",
  "scatter",
  "text",
]);
export type VisualType = Static<typeof VisualType>;

export const VisualOptions = Type.Object(
  {
    colors: Type.Optional(Type.Array(Hex, { maxItems: 12 })),
    horizontal: Type.Optional(Type.Boolean()),
    stacked: Type.Optional(Type.Boolean()),
    donut: Type.Optional(Type.Boolean()),
    topN: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    thresholds: Type.Optional(
      Type.Array(
        Type.Object({ value: Type.Number(), color: Hex }, { additionalProperties: false }),
        {
          maxItems: 5,
        },
      ),
    ),
    axis: Type.Optional(
      Type.Object(
        { min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()) },
        { additionalProperties: false, description: "min must be below max when both are given" },
      ),
    ),
    markdown: Type.Optional(
      Type.String({
        maxLength: 20_000,
        description: "for text widgets: stored as given; the dashboard sanitises it when drawing",
      }),
    ),
    comparison: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const Visual = Type.Object(
  { type: VisualType, options: Type.Optional(VisualOptions) },
  { additionalProperties: false },
);
export type Visual = Static<typeof Visual>;

const QuerySource = Type.Object(
  { kind: Type.Literal("query"), spec: QuerySpec },
  { additionalProperties: false },
);
const FunnelSource = Type.Object(
  { kind: Type.Literal("funnel"), body: FunnelBody },
  { additionalProperties: false },
);
const RetentionSource = Type.Object(
  { kind: Type.Literal("retention"), body: RetentionBody },
  { additionalProperties: false },
);
const JourneysSource = Type.Object(
  { kind: Type.Literal("journeys"), body: JourneysBody },
  { additionalProperties: false },
);
const NoSource = Type.Object({ kind: Type.Literal("none") }, { additionalProperties: false });

type SourceType =
  | Static<typeof QuerySource>
  | Static<typeof FunnelSource>
  | Static<typeof RetentionSource>
  | Static<typeof JourneysSource>
  | Static<typeof NoSource>;

/**
 * Where a widget's data comes from: the body of `POST /query` or of a report, or nothing (text).
 * A discriminated `oneOf` (the app's Ajv has `discriminator` on), so only the branch `kind` names
 * is checked and a bad spec is reported at its own path.
 */
export const Source = Type.Unsafe<SourceType>({
  type: "object",
  oneOf: [QuerySource, FunnelSource, RetentionSource, JourneysSource, NoSource],
  discriminator: { propertyName: "kind" },
  description:
    "query: the body of POST /api/v1/query; funnel, retention, journeys: the body of that report; none: a text note",
});
export type Source = SourceType;

export const PinnedRange = Type.Object(
  { period: Period },
  {
    additionalProperties: false,
    description: "pins the widget to this period whatever range the viewer picks",
  },
);

const widgetFields = {
  name: Name,
  source: Source,
  visual: Visual,
  range: Type.Optional(PinnedRange),
};

export const Widget = Type.Object({ id: Type.String(), ...widgetFields });
export type Widget = Static<typeof Widget>;

/**
 * A widget in a request body. `id` is optional: a widget this dashboard already has keeps its id
 * (PUT), any other gets a new one, and `layout` entries may name widgets by the ids given here.
 */
export const WidgetInput = Type.Object(
  { id: Type.Optional(Id), ...widgetFields },
  { additionalProperties: false },
);
export type WidgetInput = Static<typeof WidgetInput>;

export const COLUMNS = 12;
export const MAX_WIDGETS = 50;

const gridFields = {
  x: Type.Integer({ minimum: 0, maximum: COLUMNS - 1, description: "column, 0 to 11" }),
  y: Type.Integer({ minimum: 0, maximum: 1000, description: "row" }),
  w: Type.Integer({
    minimum: 1,
    maximum: COLUMNS,
    description: "width in columns; x + w is at most 12",
  }),
  h: Type.Integer({ minimum: 1, maximum: 20, description: "height in rows" }),
};

/** Where a widget sits when adding or moving one. */
export const Placement = Type.Object(gridFields, { additionalProperties: false });
export type Placement = Static<typeof Placement>;

export const LayoutItem = Type.Object(
  {
    widget: Type.String({ minLength: 1, maxLength: 64, description: "a widget id" }),
    ...gridFields,
  },
  { additionalProperties: false },
);
export type LayoutItem = Static<typeof LayoutItem>;

export const Layout = Type.Array(LayoutItem, {
  maxItems: MAX_WIDGETS,
  description: "a 12-column grid: exactly one entry per widget",
});

export const Defaults = Type.Object(
  {
    period: Type.Optional(
      Type.Enum([...Period.enum, "all"], {
        description: "the range the dashboard opens with; absent: the viewer's own choice",
      }),
    ),
    compare: Type.Union([Type.Enum(["previous_period", "year_earlier"]), Type.Null()]),
    filters: Filters,
  },
  { additionalProperties: false },
);
export type Defaults = Static<typeof Defaults>;

const Sites = Type.Array(SiteId, {
  minItems: 1,
  maxItems: 20,
  description: "site ids; every one must exist",
});

const contentInput = {
  name: Name,
  description: Type.Optional(Type.String({ maxLength: 1000, description: "default empty" })),
  sites: Sites,
  widgets: Type.Array(WidgetInput, { maxItems: MAX_WIDGETS }),
  layout: Type.Optional(
    Type.Array(LayoutItem, {
      maxItems: MAX_WIDGETS,
      description:
        "a 12-column grid, exactly one entry per widget, naming widgets by the ids given in `widgets`; absent: widgets are placed two to a row in order",
    }),
  ),
  defaults: Type.Optional(
    Type.Object(
      {
        period: Defaults.properties.period,
        compare: Type.Optional(Defaults.properties.compare),
        filters: Type.Optional(Filters),
      },
      {
        additionalProperties: false,
        description: "what a viewer starts with; compare defaults to null, filters to []",
      },
    ),
  ),
};

/** The body of `POST /dashboards` and `PUT /dashboards/:id`: the whole content. */
export const DashboardInput = Type.Object(contentInput, { additionalProperties: false });
export type DashboardInput = Static<typeof DashboardInput>;

/** What a dashboard holds besides its identity and history fields. */
export const DashboardContent = Type.Object({
  name: Type.String(),
  description: Type.String(),
  sites: Type.Array(Type.String()),
  widgets: Type.Array(Widget),
  layout: Layout,
  defaults: Defaults,
});
export type DashboardContent = Static<typeof DashboardContent>;

export const Dashboard = Type.Object({
  id: Type.String(),
  ...DashboardContent.properties,
  version: Type.Integer({ minimum: 1, description: "bumped by every write; the ETag" }),
  createdAt: Type.String({ format: "date-time" }),
  updatedAt: Type.String({ format: "date-time" }),
  updatedBy: Type.String({ description: "the email of who wrote this version" }),
});
export type Dashboard = Static<typeof Dashboard>;

export const DashboardSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  sites: Type.Array(Type.String()),
  widgets: Type.Integer({ description: "how many widgets it has" }),
  updatedAt: Type.String({ format: "date-time" }),
});
export const DashboardList = Type.Object({
  dashboards: Type.Array(DashboardSummary, { description: "most recently changed first" }),
});

export const VersionSummary = Type.Object({
  version: Type.Integer(),
  updatedAt: Type.String({ format: "date-time" }),
  updatedBy: Type.String(),
  name: Type.String(),
  widgets: Type.Integer({ description: "how many widgets it had" }),
});
export const VersionList = Type.Array(VersionSummary, { description: "newest first, at most 20" });

export const Deleted = Type.Object({ id: Type.String(), deleted: Type.Literal(true) });

/** Add a widget, or replace one: a widget without id, and where to put it. */
export const WidgetBody = Type.Object(
  {
    ...widgetFields,
    layout: Type.Optional(
      Type.Object(gridFields, {
        additionalProperties: false,
        description:
          "where it sits; absent: a new widget goes below the others (6 columns by 4 rows), a replaced one stays where it is",
      }),
    ),
  },
  { additionalProperties: false },
);
export type WidgetBody = Static<typeof WidgetBody>;

export const DashboardParams = Type.Object({ id: Id }, { additionalProperties: false });
export const WidgetParams = Type.Object({ id: Id, widgetId: Id }, { additionalProperties: false });
export const VersionParams = Type.Object(
  { id: Id, version: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

/** Writes to an existing dashboard carry the version they were made against. */
export const IfMatchHeaders = Type.Object({
  "if-match": Type.Optional(
    Type.String({
      description:
        'required: the ETag of the dashboard as last read, e.g. "3"; missing is a 428, another version a 412',
    }),
  ),
});

/** 412: the write was made against an older version; nothing was written. */
export const StaleBody = Type.Object({
  ...ErrorBody.properties,
  version: Type.Integer({ description: "the dashboard's current version" }),
});

export const EXPORT_FORMAT = "sightline-dashboard";
export const EXPORT_FORMAT_VERSION = 1;

const exportedFields = {
  name: Type.String(),
  description: Type.String(),
  sites: Type.Array(Type.String()),
  defaults: Defaults,
  widgets: Type.Array(Widget),
  layout: Layout,
};

export const ExportDocument = Type.Object({
  format: Type.Literal(EXPORT_FORMAT),
  formatVersion: Type.Literal(EXPORT_FORMAT_VERSION),
  exportedAt: Type.String({ format: "date-time" }),
  dashboard: Type.Object(exportedFields),
});
export type ExportDocument = Static<typeof ExportDocument>;

/** An export document as `POST /dashboards/import` takes it: ids are references only. */
export const ImportBody = Type.Object(
  {
    format: Type.Literal(EXPORT_FORMAT),
    formatVersion: Type.Integer({
      minimum: 1,
      description: `at most ${EXPORT_FORMAT_VERSION}, the newest this server reads`,
    }),
    exportedAt: Type.Optional(Type.String({ maxLength: 64 })),
    dashboard: Type.Object(contentInput, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type ImportBody = Static<typeof ImportBody>;
