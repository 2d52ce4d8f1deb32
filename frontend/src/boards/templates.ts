import type { ApiMetric, QuerySpec, Site } from "../api/types.ts";
import { PANELS } from "../panels/defs.ts";
import { METRICS } from "../state/metrics.ts";
import { resolvePeriod } from "../state/periods.ts";
import type { BoardContent } from "./api.ts";
import type { LayoutItem, Visual, Widget } from "./model.ts";

// Widgets to start from (the builder's gallery), and the standard site dashboard as a template
// made of the same widgets, built from the very panel definitions the site dashboard draws.

export type NewWidget = Omit<Widget, "id">;

export interface WidgetTemplate {
  key: string;
  label: string;
  widget: NewWidget;
  size: { w: number; h: number };
}

/** The fields every spec of `sites` starts with: the last 30 days in the first site's zone. */
export function baseSpec(sites: readonly Site[]): Pick<QuerySpec, "sites" | "from" | "to" | "tz"> {
  const tz = sites[0]?.timezone || "UTC";
  const r = resolvePeriod({ period: "30d" }, tz);
  return { sites: sites.map((s) => s.id), from: r.from, to: r.to, tz };
}

const query = (spec: QuerySpec, visual: Visual, name: string): NewWidget => ({
  name,
  source: { kind: "query", spec },
  visual,
});

export function widgetTemplates(sites: readonly Site[]): WidgetTemplate[] {
  const base = baseSpec(sites);
  const report = { sites: base.sites, from: base.from, to: base.to, tz: base.tz };
  const t = (key: string, widget: NewWidget, w: number, h: number): WidgetTemplate => ({
    key,
    label: widget.name,
    widget,
    size: { w, h },
  });
  return [
    t(
      "number",
      query(
        { ...base, metrics: ["visitors"], granularity: "day" },
        { type: "number", options: { comparison: true } },
        "Unique visitors",
      ),
      3,
      3,
    ),
    t(
      "line",
      query(
        { ...base, metrics: ["visitors"], granularity: "day" },
        { type: "line", options: { comparison: true } },
        "Visitors over time",
      ),
      6,
      6,
    ),
    t(
      "area",
      query(
        { ...base, metrics: ["pageviews", "visitors"], granularity: "day" },
        { type: "area" },
        "Pageviews and visitors",
      ),
      6,
      6,
    ),
    t(
      "table",
      query(
        {
          ...base,
          dimensions: ["page"],
          metrics: ["visitors", "pageviews", "bounce_rate"],
          limit: 100,
        },
        { type: "table" },
        "Top pages",
      ),
      6,
      7,
    ),
    t(
      "bar",
      query(
        { ...base, dimensions: ["referrer_domain"], metrics: ["visitors"], limit: 10 },
        { type: "bar", options: { horizontal: true } },
        "Top sources",
      ),
      6,
      6,
    ),
    t(
      "pie",
      query(
        { ...base, dimensions: ["channel"], metrics: ["visitors"], limit: 10 },
        { type: "pie", options: { donut: true } },
        "Channels",
      ),
      4,
      6,
    ),
    t(
      "map",
      query(
        { ...base, dimensions: ["country"], metrics: ["visitors"], limit: 250 },
        { type: "map" },
        "Visitors by country",
      ),
      6,
      7,
    ),
    t(
      "stacked_bar",
      query(
        { ...base, granularity: "day", dimensions: ["device"], metrics: ["visitors"], limit: 1000 },
        { type: "stacked_bar" },
        "Devices by day",
      ),
      6,
      6,
    ),
    t(
      "heatmap",
      query(
        { ...base, dimensions: ["day_of_week", "hour_of_day"], metrics: ["pageviews"], limit: 200 },
        { type: "heatmap" },
        "Pageviews by weekday and hour",
      ),
      6,
      6,
    ),
    t(
      "scatter",
      query(
        { ...base, dimensions: ["page"], metrics: ["visitors", "bounce_rate"], limit: 50 },
        { type: "scatter" },
        "Pages: visitors and bounce rate",
      ),
      6,
      6,
    ),
    t(
      "funnel",
      {
        name: "Signup funnel",
        source: {
          kind: "funnel",
          body: { ...report, steps: [{ page: "/" }, { event: "signup" }], window: 86_400 },
        },
        visual: { type: "funnel" },
      },
      6,
      6,
    ),
    t(
      "retention",
      {
        name: "Weekly retention",
        source: { kind: "retention", body: { ...report, period: "week" } },
        visual: { type: "retention" },
      },
      6,
      6,
    ),
    t(
      "sankey",
      {
        name: "Journeys from the home page",
        source: {
          kind: "journeys",
          body: { ...report, page: "/", direction: "after", steps: 3, limit: 25 },
        },
        visual: { type: "sankey" },
      },
      12,
      8,
    ),
    t(
      "text",
      {
        name: "Note",
        source: { kind: "none" },
        visual: { type: "text", options: { markdown: "## Notes\n\nWhat this dashboard is for." } },
      },
      4,
      3,
    ),
  ];
}

/**
 * The site dashboard as a custom dashboard: its six headline numbers, the chart with its
 * comparison, and each report panel's first tab as a table, so it can be copied and changed.
 */
export function siteOverviewTemplate(site: Site): BoardContent & {
  widgets: (NewWidget & { id: string })[];
} {
  const base = baseSpec([site]);
  const widgets: (NewWidget & { id: string })[] = [];
  const layout: LayoutItem[] = [];
  const add = (widget: NewWidget, x: number, y: number, w: number, h: number) => {
    const id = `w${widgets.length + 1}`;
    widgets.push({ ...widget, id });
    layout.push({ widget: id, x, y, w, h });
  };
  for (const [i, m] of METRICS.entries()) {
    add(
      query(
        { ...base, metrics: [m.api], granularity: "day" },
        { type: "number", options: { comparison: true } },
        m.label,
      ),
      i * 2,
      0,
      2,
      3,
    );
  }
  add(
    query(
      { ...base, metrics: ["visitors"], granularity: "day" },
      { type: "line", options: { comparison: true } },
      "Unique visitors",
    ),
    0,
    3,
    12,
    6,
  );
  for (const [i, panel] of PANELS.entries()) {
    const tab = panel.tabs[0];
    if (!tab) continue;
    const metrics: ApiMetric[] = tab.columns.map((c) => c.metric);
    add(
      query(
        {
          ...base,
          dimensions: [tab.dimension],
          metrics,
          ...(tab.where ? { filters: tab.where } : {}),
          limit: 100,
        },
        { type: tab.map ? "map" : "table" },
        `${panel.title}: ${tab.label}`,
      ),
      (i % 2) * 6,
      9 + Math.floor(i / 2) * 7,
      6,
      7,
    );
  }
  return {
    name: `${site.name} overview`,
    description: "The site dashboard's numbers, chart and reports, as widgets to change.",
    sites: [site.id],
    widgets,
    layout,
    defaults: { period: "30d", compare: "previous_period", filters: [] },
  };
}
