import { randomUUID } from "node:crypto";
import {
  type Dashboard,
  type DashboardContent,
  type DashboardInput,
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  type ExportDocument,
  type LayoutItem,
  type Placement,
  type Widget,
  type WidgetBody,
  type WidgetInput,
} from "../schemas/dashboards.ts";

/** Where a widget goes when nobody said: half the grid wide, four rows high. */
export const DEFAULT_SIZE = { w: 6, h: 4 } as const;
const NAME_MAX = 100;

/** The first free row below every widget. */
export function bottom(layout: readonly LayoutItem[]): number {
  return layout.reduce((y, item) => Math.max(y, item.y + item.h), 0);
}

/** Widgets in order, two to a row, below `startY`. */
function flow(ids: readonly string[], startY: number): LayoutItem[] {
  return ids.map((widget, i) => ({
    widget,
    x: (i % 2) * DEFAULT_SIZE.w,
    y: startY + Math.floor(i / 2) * DEFAULT_SIZE.h,
    ...DEFAULT_SIZE,
  }));
}

/** Only the fields a widget has, in a fixed order (bodies were checked against the schema). */
function widget(id: string, input: Omit<WidgetInput, "id">): Widget {
  return {
    id,
    name: input.name,
    source: input.source,
    visual: input.visual,
    ...(input.range ? { range: input.range } : {}),
  };
}

/**
 * A checked body as stored content. Widgets whose id is in `keep` (the dashboard's own, on a
 * replace) keep it; every other widget gets a new id, and layout entries naming the id the body
 * gave it follow. Without a layout, widgets flow two to a row.
 */
export function toContent(
  input: DashboardInput,
  keep: ReadonlySet<string> = new Set(),
): DashboardContent {
  const given = new Map<string, string>();
  const widgets = input.widgets.map((w) => {
    const id = w.id !== undefined && keep.has(w.id) ? w.id : randomUUID();
    if (w.id !== undefined) given.set(w.id, id);
    return widget(id, w);
  });
  const layout = input.layout
    ? input.layout.map((item) => ({
        widget: given.get(item.widget) ?? item.widget,
        x: item.x,
        y: item.y,
        w: item.w,
        h: item.h,
      }))
    : flow(
        widgets.map((w) => w.id),
        0,
      );
  return {
    name: input.name,
    description: input.description ?? "",
    sites: input.sites,
    widgets,
    layout,
    defaults: {
      ...(input.defaults?.period ? { period: input.defaults.period } : {}),
      compare: input.defaults?.compare ?? null,
      filters: input.defaults?.filters ?? [],
    },
  };
}

/** The content of a dashboard, without identity or history fields. */
export function contentOf(d: DashboardContent): DashboardContent {
  return {
    name: d.name,
    description: d.description,
    sites: d.sites,
    widgets: d.widgets,
    layout: d.layout,
    defaults: d.defaults,
  };
}

/** "<name> (copy)", cut so it stays within the 100 characters a name may have. */
export function copyName(name: string): string {
  const suffix = " (copy)";
  return `${[...name].slice(0, NAME_MAX - suffix.length).join("")}${suffix}`;
}

const place = (widget: string, p: Placement): LayoutItem => ({
  widget,
  x: p.x,
  y: p.y,
  w: p.w,
  h: p.h,
});

/** Adds a widget (new id) where the body says, or below the others. */
export function addWidget(content: DashboardContent, body: WidgetBody): DashboardContent {
  const id = randomUUID();
  const at = body.layout ?? { x: 0, y: bottom(content.layout), ...DEFAULT_SIZE };
  return {
    ...content,
    widgets: [...content.widgets, widget(id, body)],
    layout: [...content.layout, place(id, at)],
  };
}

/** Replaces a widget's name, source, visual and range; it moves only when the body says where. */
export function replaceWidget(
  content: DashboardContent,
  id: string,
  body: WidgetBody,
): DashboardContent | null {
  if (!content.widgets.some((w) => w.id === id)) return null;
  const { layout: to } = body;
  return {
    ...content,
    widgets: content.widgets.map((w) => (w.id === id ? widget(id, body) : w)),
    layout: to ? content.layout.map((l) => (l.widget === id ? place(id, to) : l)) : content.layout,
  };
}

export function removeWidget(content: DashboardContent, id: string): DashboardContent | null {
  if (!content.widgets.some((w) => w.id === id)) return null;
  return {
    ...content,
    widgets: content.widgets.filter((w) => w.id !== id),
    layout: content.layout.filter((l) => l.widget !== id),
  };
}

/** A copy of a widget named "<name> (copy)", the same size, below the others. */
export function duplicateWidget(content: DashboardContent, id: string): DashboardContent | null {
  const original = content.widgets.find((w) => w.id === id);
  if (!original) return null;
  const size = content.layout.find((l) => l.widget === id) ?? { x: 0, ...DEFAULT_SIZE };
  const copy = randomUUID();
  return {
    ...content,
    widgets: [...content.widgets, widget(copy, { ...original, name: copyName(original.name) })],
    layout: [
      ...content.layout,
      place(copy, { x: size.x, y: bottom(content.layout), w: size.w, h: size.h }),
    ],
  };
}

/** A whole copy: "<name> (copy)", every widget with a new id, the layout following them. */
export function duplicateDashboard(d: DashboardContent): DashboardContent {
  const ids = new Map(d.widgets.map((w) => [w.id, randomUUID()]));
  return {
    ...contentOf(d),
    name: copyName(d.name),
    widgets: d.widgets.map((w) => ({ ...w, id: ids.get(w.id) ?? randomUUID() })),
    layout: d.layout.map((l) => ({ ...l, widget: ids.get(l.widget) ?? l.widget })),
  };
}

export function exportDocument(d: Dashboard, now: Date): ExportDocument {
  return {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    exportedAt: now.toISOString(),
    dashboard: {
      name: d.name,
      description: d.description,
      sites: d.sites,
      defaults: d.defaults,
      widgets: d.widgets,
      layout: d.layout,
    },
  };
}
