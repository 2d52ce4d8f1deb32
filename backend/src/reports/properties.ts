import { filteredEvents } from "../query/compile.ts";
import { compileFilters } from "../query/filters.ts";
import { Params } from "../query/params.ts";
import { type Reader, readReport } from "../query/read.ts";
import { resolveRange } from "../query/time.ts";
import type { PropertiesBody, PropertiesResult } from "../schemas/reports.ts";

interface KeyRow {
  key: string;
  events: number | string;
  visitors: number | string;
}

/**
 * The property keys events carry (of one event name, when given), most used first: what the
 * dashboard offers for property breakdowns, which then go through the query API (`prop:<key>`).
 */
export async function properties(ch: Reader, body: PropertiesBody): Promise<PropertiesResult> {
  const range = resolveRange(body);
  const params = new Params(range.tz);
  const filters = compileFilters(body.filters, params);
  const { from, where } = filteredEvents(body, range, params, filters, new Set(["props"]), {
    exactTime: false,
  });
  const event = body.event === undefined ? "" : ` AND name = ${params.bind(body.event, "String")}`;
  const rows = await readReport<KeyRow>(
    ch,
    `SELECT arrayJoin(mapKeys(props)) AS key, uniqExact(event_id) AS events, uniqExact(visitor_id) AS visitors
FROM ${from}
WHERE ${where}${event}
GROUP BY key
ORDER BY events DESC, key ASC
LIMIT ${params.bind(body.limit ?? 100, "UInt32")}`,
    params.values,
  );
  return {
    from: range.from,
    to: range.to,
    tz: range.tz,
    keys: rows.map((r) => ({ key: r.key, events: Number(r.events), visitors: Number(r.visitors) })),
  };
}
