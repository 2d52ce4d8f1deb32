import { errors } from "../errors.ts";
import type { Column, Filter, QuerySpec } from "../schemas/query.ts";
import { BASE_COLUMNS, dimension, type ResolvedDimension } from "./allowlist.ts";
import { type CompiledFilter, compileFilters } from "./filters.ts";
import {
  type CompiledMetric,
  compileMetric,
  renderAtom,
  renderMerge,
  renderState,
} from "./metrics.ts";
import { Params } from "./params.ts";
import { type SessionColumn, sessionized, sessionRows, slotSessionRows } from "./sessions.ts";
import { chooseSource, RAW_EVENTS, type Source, VISITOR_SLOTS } from "./source.ts";
import { bucketExpression, type Range, rangeCondition, wholeHourZone } from "./time.ts";

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
  source: Source;
}

export interface Scope {
  sites: readonly string[];
  includeBots?: boolean;
  filters?: readonly Filter[];
}

/**
 * The WHERE of every report: sites, time range and bots. Shared by the compiler and the
 * special reports (funnels, retention, journeys), so all of them agree on what is counted.
 */
export function baseCondition(
  scope: Scope,
  range: Range,
  params: Params,
  source: Source = RAW_EVENTS,
): string {
  return [
    `site_id IN ${params.bind(scope.sites, "Array(String)")}`,
    rangeCondition(range, params),
    source.botCondition(scope.includeBots ?? false),
  ].join(" AND ");
}

/** `table` or `table FINAL`, collapsing duplicate deliveries for value aggregates. */
export function fromClause(
  source: Source,
  includeBots: boolean | undefined,
  dedupe: boolean,
): string {
  const table = source.table(includeBots ?? false);
  return dedupe && source.supportsFinal ? `${table} FINAL` : table;
}

/**
 * FROM and WHERE for the reports that write their own SQL (funnels, retention, web vitals): the
 * scope's events, or, when a filter needs sessions (entry or exit page), those events with their
 * sessions, so the filter can read them. `columns` are those the report itself reads.
 */
export function filteredEvents(
  scope: Scope,
  range: Range,
  params: Params,
  filters: CompiledFilter,
  columns: ReadonlySet<string>,
  options: { exactTime: boolean; dedupe?: boolean },
): { from: string; where: string } {
  const used = new Set([...columns, ...filters.columns]);
  const source = chooseSource({
    columns: used,
    sessions: filters.session,
    exactTime: options.exactTime,
  });
  const table = fromClause(source, scope.includeBots, options.dedupe ?? false);
  const where = baseCondition(scope, range, params, source);
  return filters.session
    ? { from: `(${sessionized(table, where, used, filters.sessionColumns)})`, where: filters.sql }
    : { from: table, where: `${where} AND ${filters.sql}` };
}

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

/** Compiles a spec over one range into a single SELECT with bound values only. */
export function compileQuery(spec: QuerySpec, range: Range): CompiledQuery {
  const params = new Params(range.tz);
  const dims: ResolvedDimension[] = (spec.dimensions ?? []).map((name, i) => {
    const d = dimension(name, params);
    if (!d) throw errors.badRequest(`body/dimensions/${i}: unknown dimension "${name}"`);
    return d;
  });
  const metrics: CompiledMetric[] = spec.metrics.map((m, i) =>
    compileMetric(m, `body/metrics/${i}`, params),
  );
  const filters = compileFilters(spec.filters, params);

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

  const sessions =
    filters.session || dims.some((d) => d.session) || metrics.some((m) => m.sessionExpr);
  const used = new Set<string>([
    ...BASE_COLUMNS,
    ...dims.flatMap((d) => d.columns),
    ...metrics.flatMap((m) => m.columns),
    ...filters.columns,
  ]);
  // Session metrics alone, ungrouped and unfiltered, need one row per session, not per event.
  const sessionTotals =
    sessions &&
    !spec.granularity &&
    dims.length === 0 &&
    !filters.session &&
    filters.sql === "1" &&
    metrics.every((m) => m.atoms.length === 0);
  const source = chooseSource({
    columns: used,
    sessions,
    exactTime: spec.granularity === "minute",
    includeBots: spec.includeBots ?? false,
    rollupMetrics: metrics.every((m) => m.rollup !== undefined),
    wholeHourZone: wholeHourZone(range),
    sessionTotals,
  });
  const from = fromClause(
    source,
    spec.includeBots,
    metrics.some((m) => m.dedupe),
  );
  const where = baseCondition(spec, range, params, source);
  const tz = params.bind(range.tz, "String");

  const keySelects = [
    ...(spec.granularity ? [`${bucketExpression(spec.granularity, tz)} AS t`] : []),
    ...dims.map((d, i) => `${d.sql} AS d${i}`),
  ];
  const keys = [...(spec.granularity ? ["t"] : []), ...dims.map((_, i) => `d${i}`)];
  const groupBy = keys.length ? `\nGROUP BY ${keys.join(", ")}` : "";
  const tail = `${groupBy}\nORDER BY ${orderBy(spec, columns)}\nLIMIT ${params.bind(spec.limit ?? 100, "UInt32")}`;

  let sql: string;
  if (!sessions) {
    const selects = [
      ...keySelects,
      ...metrics.map(
        (m, i) =>
          `${source.rollup && m.rollup ? m.rollup : m.combine(m.atoms.map(renderAtom))} AS m${i}`,
      ),
    ];
    sql = `SELECT ${selects.join(", ")}\nFROM ${from}\nWHERE ${where} AND ${filters.sql}${tail}`;
  } else {
    // Two levels: one row per (group, session) with partial aggregate states, then merged per
    // group; session metrics then see each session once per group, with its whole-session values.
    const states = metrics.flatMap((m, i) =>
      m.atoms.map((a, j) => `${renderState(a)} AS a${i}_${j}`),
    );
    const wanted = new Set<SessionColumn>([
      ...filters.sessionColumns,
      ...dims.flatMap((d) => (d.session ? [d.session] : [])),
      ...metrics.flatMap((m) => m.sessionColumns ?? []),
    ]);
    const inner = [
      ...keySelects,
      "site_id",
      "visitor_id",
      "session_no",
      ...(wanted.has("s_pageviews") ? ["any(s_pageviews) AS sp"] : []),
      ...(wanted.has("s_duration") ? ["any(s_duration) AS sdur"] : []),
      ...states,
    ];
    const outer = [
      ...keys,
      ...metrics.map(
        (m, i) =>
          `${m.sessionExpr ?? m.combine(m.atoms.map((a, j) => renderMerge(a, `a${i}_${j}`)))} AS m${i}`,
      ),
    ];
    sql = sessionTotals
      ? `SELECT ${outer.join(", ")}
FROM (${source === VISITOR_SLOTS ? slotSessionRows(from, where) : sessionRows(from, where, used, wanted)})${tail}`
      : `SELECT ${outer.join(", ")}
FROM (
  SELECT ${inner.join(", ")}
  FROM (${sessionized(from, where, used, wanted)})
  WHERE ${filters.sql}
  GROUP BY ${[...keys, "site_id", "visitor_id", "session_no"].join(", ")}
)${tail}`;
  }
  return { sql, params: params.values, columns, source };
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
