import { filteredEvents } from "../query/compile.ts";
import { compileFilters } from "../query/filters.ts";
import { Params } from "../query/params.ts";
import { type Reader, readReport } from "../query/read.ts";
import { resolveRange } from "../query/time.ts";
import type { RetentionBody, RetentionResult } from "../schemas/reports.ts";

const DAY_MS = 86_400_000;

/** What retention checks before it runs; saved dashboard widgets are checked with it too. */
export function prepareRetention(body: RetentionBody) {
  const range = resolveRange(body);
  const params = new Params(range.tz);
  const filters = compileFilters(body.filters, params);
  return { range, params, filters };
}

/**
 * Cohorts by the local day or week (Monday) a visitor was first seen in the range, and how many
 * of each cohort came back in each later period. Visitors seen before the range count from
 * their first visit inside it.
 */
export async function retention(ch: Reader, body: RetentionBody): Promise<RetentionResult> {
  const { range, params, filters } = prepareRetention(body);
  const period = body.period ?? "week";
  const { from, where } = filteredEvents(body, range, params, filters, new Set(), {
    exactTime: false,
  });
  const tz = params.bind(range.tz, "String");
  const bucket = period === "day" ? `toDate(ts, ${tz})` : `toStartOfWeek(ts, 1, ${tz})`;
  const sql = `SELECT toString(first) AS cohort, intDiv(dateDiff('day', first, p), ${params.bind(period === "day" ? 1 : 7, "UInt32")}) AS period, count() AS visitors
FROM (
  SELECT p, min(p) OVER (PARTITION BY site_id, visitor_id) AS first
  FROM (
    SELECT DISTINCT site_id, visitor_id, ${bucket} AS p
    FROM ${from}
    WHERE ${where}
  )
)
GROUP BY first, period
ORDER BY first, period`;
  const rows = await readReport<{
    cohort: string;
    period: number | string;
    visitors: number | string;
  }>(ch, sql, params.values);
  const step = period === "day" ? 1 : 7;
  const lastDay = Date.parse(`${range.to.slice(0, 10)}T00:00:00Z`);
  const byCohort = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const m = byCohort.get(r.cohort) ?? new Map<number, number>();
    m.set(Number(r.period), Number(r.visitors));
    byCohort.set(r.cohort, m);
  }
  return {
    from: range.from,
    to: range.to,
    tz: range.tz,
    period,
    cohorts: [...byCohort].map(([cohort, periods]) => {
      const size = periods.get(0) ?? 0;
      // Every period that has begun by the end of the range, zeros included.
      const last = Math.floor((lastDay - Date.parse(`${cohort}T00:00:00Z`)) / DAY_MS / step);
      return {
        cohort,
        visitors: size,
        retention: Array.from({ length: last + 1 }, (_, k) => {
          const visitors = periods.get(k) ?? 0;
          return { period: k, visitors, rate: size ? (100 * visitors) / size : 0 };
        }),
      };
    }),
  };
}
