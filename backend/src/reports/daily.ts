import type { Reader } from "../query/read.ts";
import { runQuery } from "../query/run.ts";
import type { DailyQuery, DailyStats } from "../schemas/stats.ts";

const COUNTS = ["pageviews", "visitors"] as const;
const count = (v: string | number | null | undefined) => Number(v ?? 0);

/**
 * Pageviews and unique visitors per local day of `tz`, every day of the range present: the query
 * compiler's answer (which reads the hourly rollup where it can), in the shape of this older route.
 */
export async function dailyStats(ch: Reader, input: DailyQuery): Promise<DailyStats> {
  const scope = { sites: [input.site], from: input.from, to: input.to, tz: input.tz };
  const [byDay, totals] = await Promise.all([
    runQuery(ch, { ...scope, granularity: "day", metrics: [...COUNTS], limit: 10_000 }),
    runQuery(ch, { ...scope, metrics: [...COUNTS] }),
  ]);
  return {
    ...input,
    totals: {
      pageviews: count(totals.rows[0]?.pageviews),
      visitors: count(totals.rows[0]?.visitors),
    },
    days: byDay.rows.map((r) => ({
      date: String(r.time),
      pageviews: count(r.pageviews),
      visitors: count(r.visitors),
    })),
  };
}
