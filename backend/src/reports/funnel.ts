import { errors } from "../errors.ts";
import { filteredEvents } from "../query/compile.ts";
import { compileFilters } from "../query/filters.ts";
import { goalCondition } from "../query/metrics.ts";
import { Params } from "../query/params.ts";
import { type Reader, readReport } from "../query/read.ts";
import { resolveRange } from "../query/time.ts";
import type { FunnelBody, FunnelResult } from "../schemas/reports.ts";
import { goalName } from "./goals.ts";

/**
 * Everything a funnel checks before it runs (range, steps, filters); a saved dashboard widget is
 * checked with it too, so both refuse the same bodies with the same words.
 */
export function prepareFunnel(body: FunnelBody) {
  const range = resolveRange(body);
  const params = new Params(range.tz);
  if (body.steps.length < 2) throw errors.badRequest("body/steps: a funnel needs at least 2 steps");
  const steps = body.steps.map((s, i) => goalCondition(s, `body/steps/${i}`, params));
  const filters = compileFilters(body.filters, params);
  return { range, params, steps, filters };
}

/**
 * Ordered steps within a time window per visitor (ClickHouse windowFunnel): how many visitors
 * reached each step, the rate from the first and from the previous step, and the drop-off.
 */
export async function funnel(ch: Reader, body: FunnelBody): Promise<FunnelResult> {
  const { range, params, steps, filters } = prepareFunnel(body);
  const window = body.window ?? 86_400;
  const { from, where } = filteredEvents(body, range, params, filters, new Set(["pathname"]), {
    exactTime: true,
  });
  const sql = `SELECT level, count() AS visitors FROM (
  SELECT windowFunnel(${params.bind(window, "UInt64")})(toDateTime(ts), ${steps.join(", ")}) AS level
  FROM ${from}
  WHERE ${where}
  GROUP BY site_id, visitor_id
)
WHERE level > 0
GROUP BY level`;
  const rows = await readReport<{ level: number | string; visitors: number | string }>(
    ch,
    sql,
    params.values,
  );
  const atLevel = new Map(rows.map((r) => [Number(r.level), Number(r.visitors)]));
  const reached = body.steps.map((_, i) => {
    let n = 0;
    for (const [level, visitors] of atLevel) if (level >= i + 1) n += visitors;
    return n;
  });
  const first = reached[0] ?? 0;
  return {
    from: range.from,
    to: range.to,
    tz: range.tz,
    window,
    steps: body.steps.map((s, i) => {
      const visitors = reached[i] ?? 0;
      const previous = i === 0 ? visitors : (reached[i - 1] ?? 0);
      return {
        name: goalName(s),
        visitors,
        conversion_rate: first ? (100 * visitors) / first : 0,
        step_conversion_rate: previous ? (100 * visitors) / previous : 0,
        drop_off: previous - visitors,
      };
    }),
  };
}
