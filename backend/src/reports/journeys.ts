import { baseCondition, fromClause } from "../query/compile.ts";
import { compileFilters } from "../query/filters.ts";
import { Params } from "../query/params.ts";
import { type Reader, readReport } from "../query/read.ts";
import { sessionized } from "../query/sessions.ts";
import { chooseSource } from "../query/source.ts";
import { resolveRange } from "../query/time.ts";
import type { JourneysBody, JourneysResult } from "../schemas/reports.ts";

/** What journeys check before they run; saved dashboard widgets are checked with it too. */
export function prepareJourneys(body: JourneysBody) {
  const range = resolveRange(body);
  const params = new Params(range.tz);
  const filters = compileFilters(body.filters, params);
  return { range, params, filters };
}

/**
 * The most common paths after (or before) a page, within query-time sessions. Pages are the
 * session's pageviews in time order, each event id once, reloads of the same page collapsed;
 * the first visit of the page in a session anchors the path.
 */
export async function journeys(ch: Reader, body: JourneysBody): Promise<JourneysResult> {
  const { range, params, filters } = prepareJourneys(body);
  const source = chooseSource({
    columns: new Set(["pathname", ...filters.columns]),
    sessions: true,
    exactTime: false,
  });
  const where = baseCondition(body, range, params);
  const page = params.bind(body.page, "String");
  const steps = params.bind(body.steps ?? 3, "UInt32");
  const direction = body.direction ?? "after";
  const path =
    direction === "after"
      ? `arraySlice(pages, at, ${steps} + 1)`
      : `arraySlice(pages, greatest(toInt64(at) - ${steps}, 1), at - greatest(toInt64(at) - ${steps}, 1) + 1)`;
  const sql = `SELECT ${path} AS path, count() AS sessions, sum(count()) OVER () AS total
FROM (
  SELECT arrayMap(x -> x.3, arraySort(groupUniqArray((ts, event_id, pathname)))) AS visited,
    arrayFilter((x, i) -> i = 1 OR x != visited[i - 1], visited, arrayEnumerate(visited)) AS pages,
    indexOf(pages, ${page}) AS at
  FROM (${sessionized(fromClause(source, body.includeBots, false), where, new Set(["pathname", ...filters.columns]), filters.sessionColumns)})
  WHERE name = 'pageview' AND ${filters.sql}
  GROUP BY site_id, visitor_id, session_no
  HAVING at > 0
)
GROUP BY path
ORDER BY sessions DESC, path
LIMIT ${params.bind(body.limit ?? 100, "UInt32")}`;
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
