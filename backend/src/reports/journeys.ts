import { sqlInteger } from "@sightline/config";
import { parseFilters } from "../query/filters.ts";
import { Params } from "../query/params.ts";
import { type Reader, readReport } from "../query/read.ts";
import { sessionFamily } from "../query/sessions.ts";
import { rangeBounds, resolveRange } from "../query/time.ts";
import type { JourneysBody, JourneysResult } from "../schemas/reports.ts";

/** What journeys check before they run; saved dashboard widgets are checked with it too. */
export function prepareJourneys(body: JourneysBody) {
  const range = resolveRange(body);
  const params = new Params(range.tz);
  const filters = parseFilters(body.filters, params);
  return { range, params, filters };
}

/**
 * The most common paths after (or before) a page, within sessions that start in the range. A
 * session's pages are its pageviews in time order, each event id once, reloads of one page
 * collapsed (sightline.sessions keeps them); the first visit of the page anchors the path.
 */
export async function journeys(ch: Reader, body: JourneysBody): Promise<JourneysResult> {
  const { range, params, filters } = prepareJourneys(body);
  const page = params.bind(body.page, "String");
  const steps = sqlInteger(body.steps ?? 3);
  const direction = body.direction ?? "after";
  const path =
    direction === "after"
      ? `arraySlice(pages, at, ${steps} + 1)`
      : `arraySlice(pages, greatest(toInt64(at) - ${steps}, 1), at - greatest(toInt64(at) - ${steps}, 1) + 1)`;
  const sessions = sessionFamily({
    scope: body,
    bounds: rangeBounds(range, params),
    params,
    dims: [],
    filters,
    metrics: [
      { alias: "at", sql: `indexOf(pages, ${page})` },
      { alias: "pages", sql: "pages" },
    ],
    perSession: true,
  });
  const sql = `SELECT ${path} AS path, count() AS sessions, sum(count()) OVER () AS total
FROM (${sessions})
WHERE at > 0
GROUP BY path
ORDER BY sessions DESC, path
LIMIT ${sqlInteger(body.limit ?? 100)}`;
  const rows = await readReport<{
    path: string[];
    sessions: number | string;
    total: number | string;
  }>(ch, sql, params.values);
  return {
    from: range.from,
    to: range.to,
    tz: range.tz,
    page: body.page,
    direction,
    sessions: Number(rows[0]?.total ?? 0),
    paths: rows.map((r) => ({ pages: r.path, sessions: Number(r.sessions) })),
  };
}
