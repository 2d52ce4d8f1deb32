import type { ApiFilter } from "../api/types.ts";
import type { Filter } from "../state/filters.ts";
import type { TabDef } from "./defs.ts";

export interface EffectiveTab extends TabDef {
  /** Shown before each value (the browser whose versions are listed). */
  prefix?: string;
}

/** The tab as the current filters make it: drilled into one value's versions where it applies. */
export function effectiveTab(tab: TabDef, filters: readonly Filter[]): EffectiveTab {
  const chosen = tab.drill
    ? filters.find((f) => f.dimension === tab.dimension && f.op === "is")
    : undefined;
  if (!tab.drill || !chosen) return tab;
  const dimension = tab.drill.dimension;
  return {
    ...tab,
    dimension,
    prefix: chosen.value,
    filterFor: (value) => ({ dimension, op: "is", value }),
  };
}

/** The spec of a tab's rows: the view's range and filters, the tab's own conditions on top. */
export function tabSpec(
  tab: TabDef,
  range: { sites: string[]; from: string; to: string; tz: string },
  filters: readonly ApiFilter[],
  extra: { limit: number; search?: string; sort?: { by: string; dir: "asc" | "desc" } },
) {
  const first = tab.columns[0];
  return {
    ...range,
    filters: [
      ...filters,
      ...(tab.where ?? []),
      ...(extra.search
        ? [{ dimension: tab.dimension, op: "contains" as const, value: extra.search }]
        : []),
    ],
    dimensions: [tab.dimension],
    metrics: tab.columns.map((c) => c.metric),
    sort: [extra.sort ?? { by: first?.key ?? "visitors", dir: "desc" as const }],
    limit: extra.limit,
  };
}
