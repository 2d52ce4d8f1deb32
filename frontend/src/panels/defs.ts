import type { ApiFilter, ApiMetric } from "../api/types.ts";
import { formatCount, formatDuration, formatPercent } from "../lib/format.ts";
import type { Filter } from "../state/filters.ts";

// The report panels of the dashboard, as data: each tab is a query API spec (one dimension, its
// metrics, its own filters) plus how to read it. Panels, the details view and the widget builder
// all draw from these.

export interface Column {
  /** The query API metric. */
  metric: ApiMetric;
  /** Its column in the answer (a metric's name, or its label). */
  key: string;
  label: string;
  format: (n: number) => string;
}

export interface TabDef {
  key: string;
  label: string;
  /** The query API dimension the rows are grouped by. */
  dimension: string;
  /** The first column is the one the list shows and sorts by. */
  columns: Column[];
  /** Conditions of the tab itself (an event name), on top of the dashboard's filters. */
  where?: ApiFilter[];
  /** Drawn as a world map instead of a list. */
  map?: boolean;
  /**
   * Once the dashboard is filtered to one value of `dimension` (a browser), the tab lists this
   * dimension instead (that browser's versions).
   */
  drill?: { dimension: string; label: string };
  /** The filter a click on a row adds; none when the value cannot be filtered on. */
  filterFor?: (value: string) => Filter | null;
  /** What an empty answer means, and what to do about it. */
  empty: string;
}

export interface PanelDef {
  key: string;
  title: string;
  tabs: TabDef[];
}

const col = (metric: Extract<ApiMetric, string>, label: string, format = formatCount): Column => ({
  metric,
  key: metric,
  label,
  format,
});

const VISITORS = col("visitors", "Visitors");
const PAGEVIEWS = col("pageviews", "Pageviews");
const VISITS = col("sessions", "Visits");
const EVENTS = col("events", "Events");
const BOUNCE = col("bounce_rate", "Bounce rate", formatPercent);
const DURATION = col("session_duration", "Visit duration", formatDuration);
const TIME_ON_PAGE = col("engaged_time", "Time on page", formatDuration);
const SCROLL = col("scroll_depth", "Scroll depth", formatPercent);

const is = (dimension: string) => (value: string) => ({ dimension, op: "is" as const, value });
const event = (name: string): ApiFilter[] => [{ dimension: "event", op: "is", value: name }];
const sourceColumns = [VISITORS, VISITS, BOUNCE, DURATION];

/** Events the tracker sends by itself; every other name is a custom event (a goal). */
export const AUTO_EVENTS = [
  "pageview",
  "engagement",
  "scroll",
  "outbound",
  "download",
  "form",
  "404",
  "web_vital",
  "error",
];

export const PANELS: PanelDef[] = [
  {
    key: "sources",
    title: "Top sources",
    tabs: [
      {
        key: "channels",
        label: "Channels",
        dimension: "channel",
        columns: sourceColumns,
        filterFor: is("channel"),
        empty: "No visits in this period. Visits show up here by how people found the site.",
      },
      {
        key: "sources",
        label: "Sources",
        dimension: "referrer_domain",
        columns: sourceColumns,
        filterFor: is("referrer_domain"),
        empty: "No visits in this period.",
      },
      {
        key: "referrers",
        label: "Referrers",
        dimension: "referrer",
        columns: sourceColumns,
        filterFor: is("referrer"),
        empty: "No visits in this period.",
      },
      ...(
        [
          ["utm_source", "UTM source"],
          ["utm_medium", "UTM medium"],
          ["utm_campaign", "UTM campaign"],
          ["utm_term", "UTM term"],
          ["utm_content", "UTM content"],
        ] as const
      ).map(([dimension, label]) => ({
        key: dimension,
        label,
        dimension,
        columns: sourceColumns,
        filterFor: is(dimension),
        empty: `No visits carried ${label.toLowerCase().replace("utm ", "utm_")} tags in this period: add utm_ parameters to your campaign links.`,
      })),
    ],
  },
  {
    key: "pages",
    title: "Top pages",
    tabs: [
      {
        key: "pages",
        label: "Pages",
        dimension: "page",
        columns: [VISITORS, PAGEVIEWS, BOUNCE, TIME_ON_PAGE],
        filterFor: is("page"),
        empty: "No pageviews in this period.",
      },
      {
        key: "entry",
        label: "Entry pages",
        dimension: "entry_page",
        columns: [VISITS, VISITORS, BOUNCE, DURATION],
        filterFor: is("entry_page"),
        empty: "No visits started in this period.",
      },
      {
        key: "exit",
        label: "Exit pages",
        dimension: "exit_page",
        columns: [VISITS, VISITORS, BOUNCE, DURATION],
        filterFor: is("exit_page"),
        empty: "No visits ended in this period.",
      },
    ],
  },
  {
    key: "locations",
    title: "Locations",
    tabs: [
      {
        key: "countries",
        label: "Countries",
        dimension: "country",
        columns: [VISITORS, PAGEVIEWS],
        filterFor: is("country"),
        empty: "No visits in this period.",
      },
      {
        key: "map",
        label: "Map",
        dimension: "country",
        columns: [VISITORS, PAGEVIEWS],
        map: true,
        filterFor: is("country"),
        empty: "No visits in this period.",
      },
      {
        key: "regions",
        label: "Regions",
        dimension: "region",
        columns: [VISITORS, PAGEVIEWS],
        filterFor: is("region"),
        empty:
          "No regions known: the bundled database knows countries only, so regions need a city database (collector.geoDatabase).",
      },
      {
        key: "cities",
        label: "Cities",
        dimension: "city",
        columns: [VISITORS, PAGEVIEWS],
        filterFor: is("city"),
        empty:
          "No cities known: the bundled database knows countries only, so cities need a city database (collector.geoDatabase).",
      },
    ],
  },
  {
    key: "devices",
    title: "Devices",
    tabs: [
      {
        key: "browsers",
        label: "Browsers",
        dimension: "browser",
        columns: [VISITORS, PAGEVIEWS, BOUNCE],
        filterFor: is("browser"),
        drill: { dimension: "browser_version", label: "Version" },
        empty: "No visits in this period.",
      },
      {
        key: "os",
        label: "Operating systems",
        dimension: "os",
        columns: [VISITORS, PAGEVIEWS, BOUNCE],
        filterFor: is("os"),
        drill: { dimension: "os_version", label: "Version" },
        empty: "No visits in this period.",
      },
      {
        key: "devices",
        label: "Devices",
        dimension: "device",
        columns: [VISITORS, PAGEVIEWS, BOUNCE],
        filterFor: is("device"),
        empty: "No visits in this period.",
      },
    ],
  },
  {
    key: "behaviour",
    title: "Behaviour",
    tabs: [
      {
        key: "outbound",
        label: "Outbound links",
        dimension: "prop:url",
        columns: [VISITORS, EVENTS],
        where: event("outbound"),
        empty: "No clicks on links to other sites in this period.",
      },
      {
        key: "downloads",
        label: "Downloads",
        dimension: "prop:url",
        columns: [VISITORS, EVENTS],
        where: event("download"),
        empty: "No file downloads in this period.",
      },
      {
        key: "forms",
        label: "Forms",
        dimension: "prop:form",
        columns: [VISITORS, EVENTS],
        where: event("form"),
        empty: "No form submissions in this period. Forms are named by their id or name attribute.",
      },
      {
        key: "scroll",
        label: "Scroll depth",
        dimension: "page",
        columns: [SCROLL, VISITORS, TIME_ON_PAGE],
        filterFor: is("page"),
        where: event("engagement"),
        empty: "No scroll depth measured in this period: it is sent when a pageview ends.",
      },
      {
        key: "notfound",
        label: "404 pages",
        dimension: "page",
        columns: [VISITORS, EVENTS],
        where: event("404"),
        filterFor: is("page"),
        empty:
          'No visits to missing pages in this period. Mark your 404 page with <meta name="sightline:404">.',
      },
    ],
  },
];

/** Goals (custom events), built per site: every event name the tracker does not send itself. */
export const GOALS_TAB: TabDef = {
  key: "goals",
  label: "Goals",
  dimension: "event",
  columns: [col("visitors", "Uniques"), EVENTS, col("revenue", "Revenue", (n) => n.toFixed(2))],
  where: AUTO_EVENTS.map((name) => ({ dimension: "event", op: "is_not", value: name })),
  filterFor: is("event"),
  empty: 'No custom events in this period. Send one with sightline("track", "signup").',
};
