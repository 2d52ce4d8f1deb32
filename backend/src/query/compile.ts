import { sqlInteger } from "@sightline/config";
import { errors } from "../errors.ts";
import type { Column, QuerySpec } from "../schemas/query.ts";
import { dimension, type ResolvedDimension } from "./allowlist.ts";
import { type CompiledFilter, parseFilters } from "./filters.ts";
import { type CompiledMetric, compileMetric, type EventMetric } from "./metrics.ts";
import { Params } from "./params.ts";
import { eventsTable, type Scope, scopeCondition } from "./scope.ts";
import { eventsWithSessions, sessionFamily } from "./sessions.ts";
import { chooseRollup, type EventPlan, eventSubquery } from "./source.ts";
import { bucketExpression, type Range, rangeBounds } from "./time.ts";

export type { Scope } from "./scope.ts";

export interface OutputColumn extends Column {
  /** The SQL alias; fixed by the compiler (t, d0…, m0…). */
  alias: string;
  /** Value of a metric in a time bucket without data. */
  empty: 0 | null;
}

export interface CompiledQuery {
  sql: string;
  params: Params["values"];
  columns: OutputColumn[];
  /** What it reads: rollup tables, "events" (raw) and "sessions". */
  sources: string[];
}

/** Metrics that, in a query grouped by entry or exit page, are read from whole sessions. */
const ON_SESSIONS: Record<string, (exact: boolean) => string> = {
  visitors: (exact) => (exact ? "uniqExact(visitor)" : "uniqCombined64(visitor)"),
  pageviews: () => "sum(pageviews)",
  events: () => "sum(events)",
};

function uniqueLabels(columns: Column[]): void {
  const seen = new Set<string>();
  for (const [i, c] of columns.entries()) {
    if (seen.has(c.name)) {
      throw errors.badRequest(
        `body/${c.kind === "metric" ? "metrics" : "dimensions"}: "${c.name}" appears twice (give a label) at ${i}`,
      );
    }
    seen.add(c.name);
  }
}

/**
 * Compiles a spec over one range into a single SELECT. Event metrics come from the smallest rollup
 * that has what they need (src/query/source.ts), or from raw events; session metrics from the
 * sessions (src/query/sessions.ts). When both kinds are asked for, their aggregates are joined
 * on the query's keys. Client text is bound; nothing else is (params.ts).
 */
export function compileQuery(spec: QuerySpec, range: Range): CompiledQuery {
  const params = new Params(range.tz);
  const exact = spec.exact === true;
  const dims: ResolvedDimension[] = (spec.dimensions ?? []).map((name, i) => {
    const d = dimension(name, params);
    if (!d) throw errors.badRequest(`body/dimensions/${i}: unknown dimension "${name}"`);
    return d;
  });
  const metrics: CompiledMetric[] = spec.metrics.map((m, i) =>
    compileMetric(m, `body/metrics/${i}`, params, exact),
  );
  const filters = parseFilters(spec.filters, params);

  const columns: OutputColumn[] = [
    ...(spec.granularity
      ? [{ name: "time", kind: "time" as const, alias: "t", empty: 0 as const }]
      : []),
    ...(spec.dimensions ?? []).map((name, i) => ({
      name,
      kind: "dimension" as const,
      alias: `d${i}`,
      empty: 0 as const,
    })),
    ...metrics.map((m, i) => ({
      name: m.label,
      kind: "metric" as const,
      alias: `m${i}`,
      empty: m.empty,
    })),
  ];
  uniqueLabels(columns);

  const bounds = rangeBounds(range, params);
  const tz = params.timeZoneSql(range.tz);
  const granularity = spec.granularity;
  const bucket = granularity ? (ts: string) => bucketExpression(granularity, tz, ts) : undefined;
  // Grouped by entry or exit page, counts are of whole sessions too.
  const bySession = dims.some((d) => d.sessionOnly);
  const onSessions: { alias: string; sql: string }[] = [];
  const onEvents: { alias: string; metric: EventMetric }[] = [];
  for (const [i, m] of metrics.entries()) {
    const alias = `m${i}`;
    const instead = ON_SESSIONS[m.name];
    if (m.kind === "session") onSessions.push({ alias, sql: m.sql });
    else if (bySession && instead && m.label === m.name)
      onSessions.push({ alias, sql: instead(exact) });
    else onEvents.push({ alias, metric: m });
  }

  const plan: EventPlan = {
    scope: spec,
    range,
    bounds,
    params,
    bucket,
    granularity,
    dims,
    filters,
    exactTime: granularity === "minute",
  };
  const subqueries: string[] = [];
  const sources: string[] = [];
  if (onEvents.length) {
    const all = chooseRollup(
      plan,
      onEvents.map((m) => m.metric),
    );
    // One rollup for all when one can; otherwise each metric from the best it has.
    const groups = new Map<
      string,
      { rollup: ReturnType<typeof chooseRollup>; list: typeof onEvents }
    >();
    for (const m of onEvents) {
      const rollup = all ?? chooseRollup(plan, [m.metric]);
      const key = rollup?.table ?? "events";
      const group = groups.get(key) ?? { rollup, list: [] };
      group.list.push(m);
      groups.set(key, group);
    }
    for (const { rollup, list } of groups.values()) {
      const sub = eventSubquery(plan, list, rollup);
      subqueries.push(sub.sql);
      sources.push(sub.source);
    }
  }
  if (onSessions.length) {
    subqueries.push(
      sessionFamily({
        scope: spec,
        bounds,
        params,
        bucket: bucket?.("ts"),
        dims,
        filters,
        metrics: onSessions,
      }),
    );
    sources.push("sessions");
  }

  const keys = [...(granularity ? ["t"] : []), ...dims.map((_, i) => `d${i}`)];
  const from = subqueries
    .map((sql, k) => `(${sql}) AS f${k}`)
    .reduce((acc, next) =>
      keys.length
        ? `${acc}\nFULL OUTER JOIN ${next} USING (${keys.join(", ")})`
        : `${acc}\nCROSS JOIN ${next}`,
    );
  const outputs = [...keys, ...metrics.map((_, i) => `m${i}`)];
  const limit = spec.limit ?? 100;
  const sql = `SELECT ${outputs.join(", ")}
FROM ${from}
ORDER BY ${orderBy(spec, columns)}
LIMIT ${sqlInteger(limit)}`;
  return { sql, params: params.values, columns, sources };
}

function orderBy(spec: QuerySpec, columns: OutputColumn[]): string {
  const parts: string[] = [];
  for (const [i, s] of (spec.sort ?? []).entries()) {
    const col = columns.find((c) => c.name === s.by);
    if (!col)
      throw errors.badRequest(
        `body/sort/${i}/by: "${s.by}" is not a metric or dimension of the query`,
      );
    parts.push(`${col.alias} ${s.dir === "asc" ? "ASC" : "DESC"}`);
  }
  if (!parts.length) {
    const time = columns.find((c) => c.kind === "time");
    const metric = columns.find((c) => c.kind === "metric");
    if (time) parts.push("t ASC");
    else if (metric) parts.push(`${metric.alias} DESC`);
  }
  // Ties broken by the keys, so answers are stable.
  for (const c of columns) {
    if (c.kind !== "metric" && !parts.some((p) => p.startsWith(`${c.alias} `)))
      parts.push(`${c.alias} ASC`);
  }
  return parts.join(", ");
}

/**
 * FROM and WHERE for the reports that write their own SQL over raw events (funnels, web vitals,
 * properties, realtime): the scope's events in the range, joined to their sessions when a filter
 * reads entry or exit page. `columns` are those the report itself reads.
 */
export function filteredEvents(
  scope: Scope,
  range: Range,
  params: Params,
  filters: CompiledFilter,
  columns: ReadonlySet<string>,
  options: { dedupe?: boolean } = {},
): { from: string; where: string } {
  const table = `${eventsTable(scope.includeBots)}${options.dedupe ? " FINAL" : ""}`;
  const bounds = rangeBounds(range, params);
  const where = `${scopeCondition(scope, params)} AND ts >= ${bounds.start} AND ts < ${bounds.end}`;
  if (!filters.session) return { from: table, where: `${where} AND ${filters.sql}` };
  const used = ["event_id", "name", ...columns, ...filters.columns];
  return {
    from: `(${eventsWithSessions(scope, table, where, used, bounds, params)})`,
    where: filters.sql,
  };
}
