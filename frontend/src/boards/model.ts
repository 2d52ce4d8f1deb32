import type { QuerySpec } from "../api/types.ts";

// Custom dashboards and their widgets, as the API stores them (backend/src/schemas/dashboards.ts).

export const VISUAL_TYPES = [
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
] as const;
export type VisualType = (typeof VISUAL_TYPES)[number];

export interface VisualOptions {
  colors?: string[];
  horizontal?: boolean;
  stacked?: boolean;
  donut?: boolean;
  topN?: number;
  thresholds?: { value: number; color: string }[];
  axis?: { min?: number; max?: number };
  markdown?: string;
  comparison?: boolean;
}

export interface Visual {
  type: VisualType;
  options?: VisualOptions;
}

type ReportBody = Record<string, unknown> & {
  sites: string[];
  from: string;
  to: string;
  tz: string;
  filters?: QuerySpec["filters"];
};

export type WidgetSource =
  | { kind: "query"; spec: QuerySpec }
  | {
      kind: "funnel";
      body: ReportBody & {
        steps: { name?: string; page?: string; event?: string }[];
        window?: number;
      };
    }
  | { kind: "retention"; body: ReportBody & { period?: "day" | "week" } }
  | {
      kind: "journeys";
      body: ReportBody & {
        page: string;
        direction?: "after" | "before";
        steps?: number;
        limit?: number;
      };
    }
  | { kind: "none" };

export const PINNABLE = [
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
] as const;
export type PinnedPeriod = (typeof PINNABLE)[number];

export interface Widget {
  id: string;
  name: string;
  source: WidgetSource;
  visual: Visual;
  range?: { period: PinnedPeriod };
}

export interface LayoutItem {
  widget: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Board {
  id: string;
  name: string;
  description: string;
  sites: string[];
  widgets: Widget[];
  layout: LayoutItem[];
  defaults: {
    period: PinnedPeriod;
    compare: "previous_period" | "year_earlier" | null;
    filters: NonNullable<QuerySpec["filters"]>;
  };
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

export interface BoardSummary {
  id: string;
  name: string;
  description: string;
  sites: string[];
  widgets: number;
  updatedAt: string;
}
