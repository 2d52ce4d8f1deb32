import type { ApiFilter, ApiMetric, QuerySpec } from "../api/types.ts";
import type { Granularity } from "../state/periods.ts";
import type { PinnedPeriod, Visual, Widget, WidgetSource } from "./model.ts";
import type { NewWidget } from "./templates.ts";

// The builder's working copy of a widget: flat fields a form can edit, to and from a Widget.

export interface Step {
  kind: "page" | "event";
  value: string;
}

export interface Draft {
  id?: string;
  name: string;
  kind: WidgetSource["kind"];
  sites: string[];
  tz: string;
  from: string;
  to: string;
  metrics: ApiMetric[];
  dimensions: string[];
  filters: { dimension: string; op: ApiFilter["op"]; value: string }[];
  granularity: Granularity | "";
  limit: number;
  steps: Step[];
  window: number;
  retention: "day" | "week";
  page: string;
  direction: "after" | "before";
  journeySteps: number;
  visual: Visual;
  pinned: PinnedPeriod | "";
}

export function draftOf(
  widget: Widget | NewWidget,
  fallback: { sites: string[]; tz: string; from: string; to: string },
): Draft {
  const s = widget.source;
  const scope =
    s.kind === "query"
      ? s.spec
      : s.kind === "none"
        ? fallback
        : { sites: s.body.sites, tz: s.body.tz, from: s.body.from, to: s.body.to };
  const spec = s.kind === "query" ? s.spec : undefined;
  return {
    id: "id" in widget ? widget.id : undefined,
    name: widget.name,
    kind: s.kind,
    sites: scope.sites,
    tz: scope.tz,
    from: scope.from,
    to: scope.to,
    metrics: spec?.metrics ?? ["visitors"],
    dimensions: spec?.dimensions ?? [],
    filters: (spec?.filters ?? []).flatMap((f) =>
      "dimension" in f && typeof f.value === "string"
        ? [{ dimension: f.dimension, op: f.op, value: f.value }]
        : [],
    ),
    granularity: spec?.granularity ?? "",
    limit: spec?.limit ?? 10,
    steps:
      s.kind === "funnel"
        ? s.body.steps.map((x) =>
            x.page !== undefined
              ? { kind: "page", value: x.page }
              : { kind: "event", value: x.event ?? "" },
          )
        : [
            { kind: "page", value: "/" },
            { kind: "event", value: "signup" },
          ],
    window: s.kind === "funnel" ? (s.body.window ?? 86_400) : 86_400,
    retention: s.kind === "retention" ? (s.body.period ?? "week") : "week",
    page: s.kind === "journeys" ? s.body.page : "/",
    direction: s.kind === "journeys" ? (s.body.direction ?? "after") : "after",
    journeySteps: s.kind === "journeys" ? (s.body.steps ?? 3) : 3,
    visual: widget.visual,
    pinned: widget.range?.period ?? "",
  };
}

/** The draft as the API stores it. */
export function widgetOf(d: Draft): NewWidget & { id?: string } {
  const scope = { sites: d.sites, from: d.from, to: d.to, tz: d.tz };
  const filters = d.filters.filter((f) => f.value !== "");
  let source: WidgetSource;
  switch (d.kind) {
    case "query": {
      const spec: QuerySpec = {
        ...scope,
        metrics: d.metrics,
        ...(d.dimensions.length ? { dimensions: d.dimensions } : {}),
        ...(filters.length ? { filters } : {}),
        ...(d.granularity ? { granularity: d.granularity } : {}),
        limit: d.granularity ? 10_000 : d.limit,
      };
      source = { kind: "query", spec };
      break;
    }
    case "funnel":
      source = {
        kind: "funnel",
        body: {
          ...scope,
          ...(filters.length ? { filters } : {}),
          steps: d.steps.map((s) => (s.kind === "page" ? { page: s.value } : { event: s.value })),
          window: d.window,
        },
      };
      break;
    case "retention":
      source = { kind: "retention", body: { ...scope, period: d.retention } };
      break;
    case "journeys":
      source = {
        kind: "journeys",
        body: { ...scope, page: d.page, direction: d.direction, steps: d.journeySteps, limit: 25 },
      };
      break;
    default:
      source = { kind: "none" };
  }
  return {
    ...(d.id ? { id: d.id } : {}),
    name: d.name.trim() || "Untitled widget",
    source,
    visual: d.visual,
    ...(d.pinned ? { range: { period: d.pinned } } : {}),
  };
}
