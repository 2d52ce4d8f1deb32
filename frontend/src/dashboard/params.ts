import type { Site } from "../api/types.ts";
import { DEFAULT_PRESET, isPreset, type RangeSelection, validateRange } from "./dateRange.ts";

// The dashboard's selection lives in the URL query, so a view can be reloaded
// and shared: ?site=<id>&range=7d, or ?range=custom&from=…&to=….

export interface DashboardParams {
  site: string | null;
  range: RangeSelection;
}

export function readParams(search: string): DashboardParams {
  const query = new URLSearchParams(search);
  const site = query.get("site") || null;
  const range = query.get("range");
  const from = query.get("from") ?? "";
  const to = query.get("to") ?? "";
  if (range === "custom" && validateRange(from, to) === null) {
    return { site, range: { kind: "custom", from, to } };
  }
  if (range !== null && isPreset(range)) return { site, range: { kind: "preset", preset: range } };
  return { site, range: { kind: "preset", preset: DEFAULT_PRESET } };
}

/** Returns the new query string ("" or "?…"), keeping parameters that are not ours. */
export function writeParams(search: string, params: DashboardParams): string {
  const query = new URLSearchParams(search);
  for (const key of ["site", "range", "from", "to"]) query.delete(key);
  if (params.site) query.set("site", params.site);
  const { range } = params;
  if (range.kind === "custom") {
    query.set("range", "custom");
    query.set("from", range.from);
    query.set("to", range.to);
  } else if (range.preset !== DEFAULT_PRESET) {
    query.set("range", range.preset);
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}

/** The site to show: the URL's, else the last one picked here, else the first; null if none exist. */
export function pickSite(
  sites: readonly Site[],
  fromUrl: string | null,
  remembered: string | null,
): string | null {
  for (const id of [fromUrl, remembered]) {
    if (id && sites.some((s) => s.id === id)) return id;
  }
  return sites[0]?.id ?? null;
}
