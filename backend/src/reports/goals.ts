import { goalCondition } from "../query/metrics.ts";
import { Params } from "../query/params.ts";
import type { Reader } from "../query/read.ts";
import { runQuery } from "../query/run.ts";
import type { Metric } from "../schemas/query.ts";
import type { GoalsBody, GoalsResult } from "../schemas/reports.ts";
import { reportScope } from "./scope.ts";

export function goalName(goal: { name?: string; page?: string; event?: string }): string {
  return goal.name ?? (goal.page !== undefined ? `Visit ${goal.page}` : `${goal.event}`);
}

/** Conversions, converted visitors and conversion rate (of all visitors) per goal, one query. */
export async function goals(ch: Reader, body: GoalsBody): Promise<GoalsResult> {
  for (const [i, g] of body.goals.entries()) goalCondition(g, `body/goals/${i}`, new Params());
  const metrics: Metric[] = ["visitors"];
  body.goals.forEach(({ page, event }, i) => {
    const goal = { page, event };
    metrics.push(
      { name: "conversions", goal, label: `c${i}` },
      { name: "converted_visitors", goal, label: `v${i}` },
    );
  });
  const result = await runQuery(ch, { ...reportScope(body), metrics });
  const row = result.rows[0] ?? {};
  const visitors = Number(row.visitors ?? 0);
  return {
    from: result.from,
    to: result.to,
    tz: result.tz,
    visitors,
    goals: body.goals.map((g, i) => {
      const converted = Number(row[`v${i}`] ?? 0);
      return {
        name: goalName(g),
        conversions: Number(row[`c${i}`] ?? 0),
        visitors: converted,
        conversion_rate: visitors ? (100 * converted) / visitors : 0,
      };
    }),
  };
}
