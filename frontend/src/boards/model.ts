import type { ResultOf } from "../api/types.ts";

// Custom dashboards and their widgets, as the API stores them: the generated API types, named.

export type Board = ResultOf<"/api/v1/dashboards/{id}", "get">;
export type BoardSummary = ResultOf<"/api/v1/dashboards", "get">["dashboards"][number];
export type Widget = Board["widgets"][number];
export type WidgetSource = Widget["source"];
export type Visual = Widget["visual"];
export type VisualType = Visual["type"];
export type VisualOptions = NonNullable<Visual["options"]>;
export type LayoutItem = Board["layout"][number];
export type PinnedPeriod = NonNullable<Widget["range"]>["period"];
export type Version = ResultOf<"/api/v1/dashboards/{id}/versions", "get">[number];

/** The periods a widget can be pinned to (and a dashboard can open with), in menu order. */
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
] as const satisfies readonly PinnedPeriod[];
