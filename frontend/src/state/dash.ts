import { type Filter, readFilters, writeFilters } from "./filters.ts";
import { DEFAULT_METRIC, isMetricKey, type MetricKey } from "./metrics.ts";
import { DEFAULT_PERIOD, type Granularity, isPeriodKey, type PeriodKey } from "./periods.ts";

// Everything a view shows lives in its URL: the site and page in the path; the period,
// comparison, filters, chart metric, bucket size, panel tabs and open details in the query.
// So every view is a link, and back and forward walk through the views.

export const PAGES = [
  { key: "dashboard", label: "Dashboard" },
  { key: "realtime", label: "Realtime" },
  { key: "funnels", label: "Funnels" },
  { key: "retention", label: "Retention" },
  { key: "journeys", label: "Journeys" },
  { key: "errors", label: "Errors" },
  { key: "vitals", label: "Web vitals" },
] as const;

export type PageKey = (typeof PAGES)[number]["key"];
export type Compare = "previous_period" | "year_earlier";

export interface DashState {
  site: string | null;
  /** A custom dashboard (`/boards/<id>`), instead of a site's page. */
  board: string | null;
  /** A share link's token (`/share/<token>`): the view stays on that link's page. */
  share: string | null;
  page: PageKey;
  period: PeriodKey;
  from?: string;
  to?: string;
  compare: Compare | null;
  filters: Filter[];
  metric: MetricKey;
  granularity: Granularity | null;
  /** Panel → chosen tab. */
  tabs: Record<string, string>;
  /** The open details view (`<panel>`), if any. */
  details: string | null;
  /** A page's own settings (funnel steps, the journey's page...): kept only while on that page. */
  extra: Record<string, string>;
}

const GRANULARITIES = new Set(["minute", "hour", "day", "week", "month"]);
const EXTRA = "x.";
const TAB = "tab.";

function pageOf(value: string | undefined): PageKey {
  return PAGES.find((p) => p.key === value)?.key ?? "dashboard";
}

export function readDash(pathname: string, search: string): DashState {
  const parts = pathname.split("/").filter(Boolean);
  const site = parts[0] === "sites" && parts[1] ? decodeURIComponent(parts[1]) : null;
  const board = parts[0] === "boards" && parts[1] ? decodeURIComponent(parts[1]) : null;
  const share = parts[0] === "share" && parts[1] ? parts[1] : null;
  const query = new URLSearchParams(search);
  const period = query.get("period") ?? "";
  const compare = query.get("compare");
  const metric = query.get("metric") ?? "";
  const granularity = query.get("g") ?? "";
  const tabs: Record<string, string> = {};
  const extra: Record<string, string> = {};
  for (const [key, value] of query) {
    if (key.startsWith(TAB)) tabs[key.slice(TAB.length)] = value;
    if (key.startsWith(EXTRA)) extra[key.slice(EXTRA.length)] = value;
  }
  return {
    site,
    board,
    share,
    page: pageOf(parts[2]),
    period: isPeriodKey(period) ? period : DEFAULT_PERIOD,
    ...(period === "custom" ? { from: query.get("from") ?? "", to: query.get("to") ?? "" } : {}),
    compare: compare === "previous_period" || compare === "year_earlier" ? compare : null,
    filters: readFilters(query),
    metric: isMetricKey(metric) ? metric : DEFAULT_METRIC,
    granularity: GRANULARITIES.has(granularity) ? (granularity as Granularity) : null,
    tabs,
    details: query.get("details"),
    extra,
  };
}

export function dashHref(state: DashState): string {
  if (!state.site && !state.board && !state.share) return "/";
  const path = state.share
    ? `/share/${state.share}`
    : state.board
      ? `/boards/${encodeURIComponent(state.board)}`
      : `/sites/${encodeURIComponent(state.site ?? "")}${state.page === "dashboard" ? "" : `/${state.page}`}`;
  const query = new URLSearchParams();
  if (state.period !== DEFAULT_PERIOD) query.set("period", state.period);
  if (state.period === "custom") {
    query.set("from", state.from ?? "");
    query.set("to", state.to ?? "");
  }
  if (state.compare) query.set("compare", state.compare);
  writeFilters(query, state.filters);
  if (state.metric !== DEFAULT_METRIC) query.set("metric", state.metric);
  if (state.granularity) query.set("g", state.granularity);
  for (const [panel, tab] of Object.entries(state.tabs)) query.set(`${TAB}${panel}`, tab);
  if (state.details) query.set("details", state.details);
  for (const [key, value] of Object.entries(state.extra)) query.set(`${EXTRA}${key}`, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** A state moved to another page or site: page settings and open details do not travel. */
export function switchTo(state: DashState, patch: { page?: PageKey; site?: string }): DashState {
  return { ...state, board: null, ...patch, details: null, extra: {} };
}
