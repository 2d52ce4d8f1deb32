import {
  DATABASE,
  dirtyHours,
  ROLLUPS,
  type Rollup,
  sqlInstant,
  WATERMARK_SQL,
} from "@sightline/config";
import type { ResolvedDimension } from "./allowlist.ts";
import { eventLeaf, type ParsedFilters, renderFilters } from "./filters.ts";
import type { Atom, EventMetric } from "./metrics.ts";
import type { Params } from "./params.ts";
import { eventsTable, type Scope, scopeCondition } from "./scope.ts";
import { eventsWithSessions } from "./sessions.ts";
import { localMidnights, type Range, wholeHourZone } from "./time.ts";

/**
 * Where event metrics come from: an hourly rollup (config/src/storage/rollups.ts) for every hour it
 * can answer, and raw events for the rest. A rollup answers an hour that lies wholly in the range
 * and in one time bucket of the query's zone, and that holds no events the materializer has not
 * reached yet; the raw events of the other hours (the range's edges in zones with offsets of 30 or
 * 45 minutes, local midnights there, recent hours) are counted beside it. Hours never overlap, and
 * copies of one event share its time, so sums of both stay exact.
 */

export interface EventPlan {
  scope: Scope;
  range: Range;
  bounds: { start: string; end: string };
  params: Params;
  /** The time bucket on a time column, when the query has one. */
  bucket?: (ts: string) => string;
  granularity?: string;
  dims: ResolvedDimension[];
  filters: ParsedFilters;
  /** Minute buckets and realtime need exact times. */
  exactTime: boolean;
}

/** The rollup that can answer `metrics` under the plan, or null (raw events). */
export function chooseRollup(plan: EventPlan, metrics: readonly EventMetric[]): Rollup | null {
  if (plan.scope.includeBots || plan.exactTime) return null;
  if (plan.dims.some((d) => d.sessionOnly) || plan.filters.leaves.some((l) => l.dim.sessionOnly)) {
    return null;
  }
  // Hour buckets of a zone whose offset is not whole hours never match rollup hours.
  const localHours = plan.granularity === "hour" || plan.dims.some((d) => d.name === "hour_of_day");
  if (localHours && !wholeHourZone(plan.range)) return null;
  const columns = new Set([...plan.dims.flatMap((d) => d.columns), ...plan.filters.columns]);
  columns.delete("ts");
  return (
    ROLLUPS.find(
      (r) =>
        [...columns].every((c) => r.dims.includes(c)) &&
        metrics.every((m) => m.atoms.every((a) => a.rollup(r) !== null)),
    ) ?? null
  );
}

const merged = (a: Atom, alias: string) =>
  a.merge === "sum"
    ? `sum(${alias})`
    : a.merge === "state"
      ? `uniqCombined64Merge(${alias})`
      : `any(${alias})`;

/** Keys of the plan: `t` and `d<i>`, as SQL over a time column. */
function keys(plan: EventPlan, ts: string): { selects: string[]; names: string[] } {
  const selects: string[] = [];
  const names: string[] = [];
  if (plan.bucket) {
    selects.push(`${plan.bucket(ts)} AS t`);
    names.push("t");
  }
  for (const [i, d] of plan.dims.entries()) {
    selects.push(`${d.at && ts !== "ts" ? d.at(ts) : d.sql} AS d${i}`);
    names.push(`d${i}`);
  }
  return { selects, names };
}

/**
 * An hour (SQL of a DateTime) a rollup may answer: wholly inside the range and, in zones whose
 * offset is not a whole number of hours, inside one bucket and one value of each local-time
 * dimension.
 */
function wholeHour(plan: EventPlan, hour: string): string {
  const parts = [
    `${hour} >= ${plan.bounds.start}`,
    `${hour} + toIntervalHour(1) <= ${plan.bounds.end}`,
  ];
  if (!wholeHourZone(plan.range)) {
    const last = `(${hour} + toIntervalSecond(3599))`;
    if (plan.bucket) parts.push(`${plan.bucket(hour)} = ${plan.bucket(last)}`);
    for (const d of plan.dims) if (d.at) parts.push(`${d.at(hour)} = ${d.at(last)}`);
  }
  return parts.join(" AND ");
}

/**
 * Time windows holding every raw event a rollup query must read (a superset, for the primary
 * key): the range's first and last partial hours, an hour either side of local midnights in zones
 * whose offset is not whole hours, and everything from the oldest hour not yet materialized.
 */
function rawWindows(plan: EventPlan, oldestPending: string): string {
  const { start, end } = plan.bounds;
  const windows = [
    `ts < toStartOfHour(addMilliseconds(${start}, 3599999))`,
    `ts >= toStartOfHour(${end})`,
    `ts >= ${oldestPending}`,
  ];
  if (!wholeHourZone(plan.range)) {
    for (const m of localMidnights(plan.range)) {
      const hour = Math.floor(m / 3_600_000) * 3_600_000;
      windows.push(
        `(ts >= ${sqlInstant(hour - 3_600_000)} AND ts < ${sqlInstant(hour + 7_200_000)})`,
      );
    }
  }
  return `(${windows.join(" OR ")})`;
}

export interface EventSubquery {
  /** Produces `t`, `d<i>` and the metrics' aliases, one row per key (one row without keys). */
  sql: string;
  /** The rollup table it reads, or "events". */
  source: string;
}

/**
 * The aggregate of `metrics` (aliases `m<i>` given) under the plan, from `rollup` and raw events,
 * or from raw events alone when `rollup` is null.
 */
export function eventSubquery(
  plan: EventPlan,
  metrics: { alias: string; metric: EventMetric }[],
  rollup: Rollup | null,
): EventSubquery {
  const atomAlias = (i: number, j: number) => `a${i}_${j}`;
  const dedupe = metrics.some((m) => m.metric.dedupe);
  const filters = renderFilters(plan.filters, eventLeaf);
  const raw = keys(plan, "ts");
  const groupBy = raw.names.length ? ` GROUP BY ${raw.names.join(", ")}` : "";
  const rawAtoms = metrics.flatMap(({ metric }, i) =>
    metric.atoms.map((a, j) => `${a.raw} AS ${atomAlias(i, j)}`),
  );
  const inScope = scopeCondition(plan.scope, plan.params);
  const range = `ts >= ${plan.bounds.start} AND ts < ${plan.bounds.end}`;
  const table = `${eventsTable(plan.scope.includeBots)}${dedupe ? " FINAL" : ""}`;
  const branches: string[] = [];
  if (rollup) {
    const pending = dirtyHours(
      WATERMARK_SQL,
      undefined,
      `site_id IN ${plan.params.sites(plan.scope.sites)}`,
    );
    const oldestPending = `(SELECT if(count() = 0, toDateTime64('2199-12-31 00:00:00', 3, 'UTC'), toDateTime64(min(hour), 3, 'UTC')) FROM (${pending}))`;
    const fromRollup = keys(plan, "ts");
    const rollupAtoms = metrics.flatMap(({ metric }, i) =>
      metric.atoms.map((a, j) => `${a.rollup(rollup)} AS ${atomAlias(i, j)}`),
    );
    const columns = ["site_id", "hour AS ts", ...rollup.dims, ...rollup.measures].join(", ");
    branches.push(`SELECT ${[...fromRollup.selects, ...rollupAtoms].join(", ")}
    FROM (SELECT ${columns} FROM ${DATABASE}.${rollup.table} FINAL WHERE site_id IN ${plan.params.sites(plan.scope.sites)} AND hour >= toStartOfHour(${plan.bounds.start}) AND hour < ${plan.bounds.end})
    WHERE ${wholeHour(plan, "ts")} AND (site_id, ts) NOT IN (${pending}) AND ${filters}${groupBy}`);
    const hour = "toStartOfHour(toDateTime(ts))";
    branches.push(`SELECT ${[...raw.selects, ...rawAtoms].join(", ")}
    FROM ${table}
    WHERE ${inScope} AND ${range} AND ${rawWindows(plan, oldestPending)}
      AND (NOT (${wholeHour(plan, hour)}) OR (site_id, ${hour}) IN (${pending})) AND ${filters}${groupBy}`);
  } else {
    const sessionJoin =
      plan.dims.some((d) => d.sessionOnly) || plan.filters.leaves.some((l) => l.dim.sessionOnly);
    const columns = [
      "event_id",
      "name",
      ...plan.dims.flatMap((d) => d.columns),
      ...plan.filters.columns,
      ...metrics.flatMap(({ metric }) => metric.atoms.flatMap((a) => a.columns)),
    ];
    const from = sessionJoin
      ? `(${eventsWithSessions(plan.scope, table, `${inScope} AND ${range}`, columns, plan.bounds, plan.params)})`
      : table;
    branches.push(`SELECT ${[...raw.selects, ...rawAtoms].join(", ")}
    FROM ${from}
    WHERE ${inScope} AND ${range} AND ${filters}${groupBy}`);
  }
  const outer = metrics.map(
    ({ alias, metric }, i) =>
      `${metric.combine(metric.atoms.map((a, j) => merged(a, atomAlias(i, j))))} AS ${alias}`,
  );
  return {
    sql: `SELECT ${[...raw.names, ...outer].join(", ")}
  FROM (
    ${branches.join("\n    UNION ALL\n    ")}
  )${groupBy}`,
    source: rollup?.table ?? "events",
  };
}
