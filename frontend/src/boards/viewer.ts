import type { ApiFilter } from "../api/types.ts";
import { type PeriodKey, resolvePeriod } from "../state/periods.ts";
import type { Widget, WidgetSource } from "./model.ts";

/**
 * What the person viewing a dashboard chose: a period, filters and a comparison. It applies on
 * top of every widget when drawing (a pinned widget keeps its own period) and is never saved
 * into a widget.
 */
export interface Viewer {
  period: PeriodKey;
  from?: string;
  to?: string;
  filters: ApiFilter[];
  compare: "previous_period" | "year_earlier" | null;
}

/** The range a widget shows: its pinned period, else the viewer's, in the widget's zone. */
export function widgetRange(widget: Widget, viewer: Viewer, tz: string, now = Date.now()) {
  const input = widget.range ? { period: widget.range.period } : viewer;
  return resolvePeriod(input, tz, now);
}

/** The source as drawn: the viewer's range (or the pinned one) and filters on top of the stored one. */
export function drawnSource(widget: Widget, viewer: Viewer, now = Date.now()): WidgetSource {
  const source = widget.source;
  if (source.kind === "none") return source;
  const stored = source.kind === "query" ? source.spec : source.body;
  const range = widgetRange(widget, viewer, stored.tz, now);
  const filters = [...(stored.filters ?? []), ...viewer.filters];
  const over = { from: range.from, to: range.to, ...(filters.length ? { filters } : {}) };
  if (source.kind === "query") {
    const compare =
      source.spec.compare ??
      (widget.visual.options?.comparison ? (viewer.compare ?? "previous_period") : undefined);
    // A bucket size the viewer's range cannot take (hours over a year) gives way to the range's own.
    const g = source.spec.granularity;
    const granularity = g && !range.granularities.includes(g) ? range.granularity : g;
    return {
      kind: "query",
      spec: {
        ...source.spec,
        ...over,
        ...(granularity ? { granularity } : {}),
        ...(compare ? { compare } : {}),
      },
    };
  }
  if (source.kind === "funnel") return { kind: "funnel", body: { ...source.body, ...over } };
  if (source.kind === "retention") return { kind: "retention", body: { ...source.body, ...over } };
  return { kind: "journeys", body: { ...source.body, ...over } };
}

/** Why the range cannot be drawn (over the API's limits), or null. */
export function rangeProblem(widget: Widget, viewer: Viewer): string | null {
  const source = widget.source;
  if (source.kind === "none") return null;
  const tz = source.kind === "query" ? source.spec.tz : source.body.tz;
  return widgetRange(widget, viewer, tz).tooLong ?? null;
}
