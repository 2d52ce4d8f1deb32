import type { VisualType, WidgetSource } from "../boards/model.ts";

// Which data each visual type can draw. The builder offers only the types that fit the current
// source, and says why the others do not.

export interface Shape {
  kind: WidgetSource["kind"];
  metrics: number;
  dimensions: readonly string[];
  granularity: boolean;
}

export function shapeOf(source: WidgetSource): Shape {
  if (source.kind !== "query")
    return { kind: source.kind, metrics: 0, dimensions: [], granularity: false };
  return {
    kind: "query",
    metrics: source.spec.metrics.length,
    dimensions: source.spec.dimensions ?? [],
    granularity: source.spec.granularity !== undefined,
  };
}

export interface VisualDef {
  type: VisualType;
  label: string;
  /** What it needs, in words, for the builder. */
  needs: string;
  /** Null when the shape fits, else why not. */
  fits: (shape: Shape) => string | null;
}

const query = (shape: Shape) => (shape.kind === "query" ? null : "needs a query");
const all =
  (...rules: ((s: Shape) => string | null)[]) =>
  (s: Shape) => {
    for (const rule of rules) {
      const why = rule(s);
      if (why) return why;
    }
    return null;
  };
const dims = (n: number) => (s: Shape) =>
  s.dimensions.length === n
    ? null
    : n === 0
      ? "takes no breakdown"
      : `needs ${n} breakdown${n > 1 ? "s" : ""}`;
const metrics =
  (min: number, max = min) =>
  (s: Shape) =>
    s.metrics >= min && s.metrics <= max
      ? null
      : min === max
        ? `needs exactly ${min} metric${min > 1 ? "s" : ""}`
        : `needs ${min} to ${max} metrics`;
const time = (want: boolean) => (s: Shape) =>
  s.granularity === want ? null : want ? "needs a time bucket" : "takes no time bucket";
const source = (kind: WidgetSource["kind"], label: string) => (s: Shape) =>
  s.kind === kind ? null : `needs a ${label}`;

export const VISUALS: readonly VisualDef[] = [
  {
    type: "number",
    label: "Number",
    needs: "one metric, no breakdown (a time bucket adds a sparkline)",
    fits: all(query, dims(0), metrics(1, 20)),
  },
  {
    type: "line",
    label: "Line",
    needs: "a time bucket; several metrics, or one metric by one breakdown",
    fits: all(query, time(true), (s) =>
      s.dimensions.length > 1
        ? "takes at most one breakdown"
        : s.dimensions.length === 1 && s.metrics !== 1
          ? "takes one metric with a breakdown"
          : null,
    ),
  },
  {
    type: "area",
    label: "Area",
    needs: "as line",
    fits: all(query, time(true), (s) =>
      s.dimensions.length > 1
        ? "takes at most one breakdown"
        : s.dimensions.length === 1 && s.metrics !== 1
          ? "takes one metric with a breakdown"
          : null,
    ),
  },
  {
    type: "bar",
    label: "Bar",
    needs: "a time bucket or one breakdown, and metrics",
    fits: all(query, (s) =>
      (s.granularity ? 1 : 0) + s.dimensions.length === 1
        ? null
        : "needs a time bucket or one breakdown",
    ),
  },
  {
    type: "stacked_bar",
    label: "Stacked bar",
    needs: "one metric, by a time bucket and one breakdown, or by two breakdowns",
    fits: all(query, metrics(1), (s) =>
      (s.granularity ? 1 : 0) + s.dimensions.length === 2
        ? null
        : "needs a time bucket and a breakdown, or two breakdowns",
    ),
  },
  {
    type: "pie",
    label: "Pie or donut",
    needs: "one metric by one breakdown",
    fits: all(query, time(false), dims(1), metrics(1)),
  },
  {
    type: "table",
    label: "Table",
    needs: "any query",
    fits: query,
  },
  {
    type: "map",
    label: "World map",
    needs: "a breakdown by country",
    fits: all(query, time(false), (s) =>
      s.dimensions.length === 1 && s.dimensions[0] === "country"
        ? null
        : "needs a breakdown by country",
    ),
  },
  { type: "funnel", label: "Funnel", needs: "funnel steps", fits: source("funnel", "funnel") },
  {
    type: "retention",
    label: "Retention grid",
    needs: "retention cohorts",
    fits: source("retention", "retention report"),
  },
  { type: "sankey", label: "Sankey", needs: "a journey", fits: source("journeys", "journey") },
  {
    type: "heatmap",
    label: "Heatmap",
    needs: "one metric by weekday and hour of day",
    fits: all(query, time(false), metrics(1), (s) =>
      s.dimensions.length === 2 &&
      s.dimensions.includes("day_of_week") &&
      s.dimensions.includes("hour_of_day")
        ? null
        : "needs the breakdowns weekday and hour of day",
    ),
  },
  {
    type: "scatter",
    label: "Scatter",
    needs: "two metrics by one breakdown",
    fits: all(query, time(false), dims(1), metrics(2)),
  },
  { type: "text", label: "Text", needs: "nothing: a note", fits: source("none", "note") },
];

export function visualDef(type: VisualType): VisualDef {
  return VISUALS.find((v) => v.type === type) as VisualDef;
}

/** The types that can draw this source. */
export function fittingTypes(source: WidgetSource): VisualType[] {
  const shape = shapeOf(source);
  return VISUALS.filter((v) => v.fits(shape) === null).map((v) => v.type);
}
