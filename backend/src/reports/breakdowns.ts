import type { Reader } from "../query/read.ts";
import { runQuery } from "../query/run.ts";
import type { Metric, QueryResult, QuerySpec } from "../schemas/query.ts";
import type { BreakdownBody, EventsBody, RevenueBody } from "../schemas/reports.ts";
import { reportScope } from "./scope.ts";

/**
 * The breakdown reports are fixed specs over the query API: one dimension and the metrics that
 * suit it. Each answers in the query API's shape, comparison included.
 */
type Kind = "pages" | "sources" | "geography" | "devices";

const METRICS: Record<Kind, Metric[]> = {
  pages: ["visitors", "pageviews", "bounce_rate", "engaged_time", "scroll_depth"],
  sources: ["visitors", "sessions", "bounce_rate", "session_duration"],
  geography: ["visitors", "pageviews"],
  devices: ["visitors", "pageviews"],
};
const FALLBACK: Record<Kind, string> = {
  pages: "page",
  sources: "channel",
  geography: "country",
  devices: "browser",
};

function scope(body: BreakdownBody | EventsBody | RevenueBody): Omit<QuerySpec, "metrics"> {
  return {
    ...reportScope(body),
    compare: body.compare,
    limit: body.limit ?? 100,
  };
}

export function breakdown(ch: Reader, kind: Kind, body: BreakdownBody): Promise<QueryResult> {
  const by = body.by ?? FALLBACK[kind];
  // Entry and exit pages are session attributes: count sessions, not pageviews.
  const metrics: Metric[] =
    by === "entry_page" || by === "exit_page"
      ? ["sessions", "visitors", "bounce_rate", "session_duration"]
      : METRICS[kind];
  return runQuery(ch, { ...scope(body), dimensions: [by], metrics });
}

/** Event names with counts; with `event` and `property`, that event's values of the property. */
export function events(ch: Reader, body: EventsBody): Promise<QueryResult> {
  if (body.event !== undefined && body.property !== undefined) {
    return runQuery(ch, {
      ...scope(body),
      filters: [...(body.filters ?? []), { dimension: "event", op: "is", value: body.event }],
      dimensions: [`prop:${body.property}`],
      metrics: ["events", "visitors"],
    });
  }
  const filters = [...(body.filters ?? [])];
  if (body.event !== undefined) filters.push({ dimension: "event", op: "is", value: body.event });
  return runQuery(ch, {
    ...scope(body),
    filters,
    dimensions: ["event"],
    metrics: ["events", "visitors"],
  });
}

/** Revenue per currency (amounts in different currencies are never added together). */
export function revenue(ch: Reader, body: RevenueBody): Promise<QueryResult> {
  return runQuery(ch, {
    ...scope(body),
    filters: [...(body.filters ?? []), { dimension: "currency", op: "is_not", value: "" }],
    dimensions: ["currency"],
    metrics: ["revenue", "events", "visitors"],
  });
}
