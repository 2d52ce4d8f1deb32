import { errors } from "../errors.ts";
import type { Goal, Metric } from "../schemas/query.ts";
import type { Params } from "./params.ts";
import type { SessionColumn } from "./sessions.ts";

/** One aggregate call; `fn` and `params` text come from this file, values are bound. */
export interface Atom {
  fn: string;
  params?: string;
  args: string;
}

export interface CompiledMetric {
  label: string;
  /** Event-level aggregates the metric is made of. */
  atoms: Atom[];
  /** Combines the rendered atoms into the metric's value. */
  combine: (atoms: string[]) => string;
  /**
   * Session-level metrics are computed in the outer query over one row per session and group
   * (`sp` = the session's pageviews, `sdur` = its duration in seconds).
   */
  sessionExpr?: string;
  /** The per-session columns `sessionExpr` reads. */
  sessionColumns?: SessionColumn[];
  columns: string[];
  /** Value aggregates (sums, averages) must not see duplicate deliveries of one event. */
  dedupe: boolean;
  /** What a time bucket without data shows. */
  empty: 0 | null;
  /** The metric merged from the hourly rollup's states, when it can be. */
  rollup?: string;
}

const PAGEVIEW = "name = 'pageview'";
const nullIfNaN = (x: string) => `if(isNaN(${x}), NULL, ${x})`;
const first = (a: string[]) => a[0] ?? "0";

const count = (label: string, args: string, extra: string[] = []): CompiledMetric => ({
  label,
  atoms: [{ fn: "uniqExact", args }],
  combine: first,
  columns: extra,
  dedupe: false,
  empty: 0,
});

function sessionMetric(
  label: string,
  expr: string,
  empty: 0 | null,
  sessionColumns: SessionColumn[] = [],
): CompiledMetric {
  return {
    label,
    atoms: [],
    combine: first,
    sessionExpr: expr,
    sessionColumns,
    columns: [],
    dedupe: false,
    empty,
  };
}

/** A goal as a condition on one event row; `at` names it in errors. */
export function goalCondition(goal: Goal | undefined, at: string, params: Params): string {
  if (!goal || (goal.page === undefined) === (goal.event === undefined)) {
    throw errors.badRequest(`${at}: give exactly one of page or event`);
  }
  return goal.page !== undefined
    ? `(${PAGEVIEW} AND pathname = ${params.bind(goal.page, "String")})`
    : `name = ${params.bind(goal.event ?? "", "String")}`;
}

function simple(name: string): CompiledMetric | null {
  switch (name) {
    case "events":
      return { ...count(name, "event_id"), rollup: "uniqExactMerge(events)" };
    case "pageviews":
      return {
        ...count(name, `event_id, ${PAGEVIEW}`),
        atoms: [{ fn: "uniqExactIf", args: `event_id, ${PAGEVIEW}` }],
        rollup: `uniqExactMergeIf(events, ${PAGEVIEW})`,
      };
    case "visitors":
      return { ...count(name, "visitor_id"), rollup: "uniqExactMerge(visitors)" };
    case "sessions":
      return sessionMetric(name, "count()", 0);
    case "bounce_rate":
      return sessionMetric(name, "if(count() = 0, NULL, 100 * countIf(sp <= 1) / count())", null, [
        "s_pageviews",
      ]);
    case "views_per_session":
      return sessionMetric(name, "if(count() = 0, NULL, sum(sp) / count())", null, ["s_pageviews"]);
    case "session_duration":
      return sessionMetric(name, "if(count() = 0, NULL, avg(sdur))", null, ["s_duration"]);
    case "engaged_time":
      return {
        label: name,
        atoms: [{ fn: "avgIf", args: "engaged_ms, name = 'engagement'" }],
        combine: (a) => nullIfNaN(`${first(a)} / 1000`),
        columns: ["engaged_ms"],
        dedupe: true,
        empty: null,
      };
    case "scroll_depth":
      return {
        label: name,
        atoms: [{ fn: "avgIf", args: "scroll_depth, name = 'engagement'" }],
        combine: (a) => nullIfNaN(first(a)),
        columns: ["scroll_depth"],
        dedupe: true,
        empty: null,
      };
    case "revenue":
      return {
        label: name,
        atoms: [{ fn: "sum", args: "revenue" }],
        combine: (a) => `toFloat64(${first(a)})`,
        columns: ["revenue"],
        dedupe: true,
        empty: 0,
      };
    default:
      return null;
  }
}

const PROPERTY_FNS: Record<string, string> = {
  sum: "sumIf",
  avg: "avgIf",
  min: "minIf",
  max: "maxIf",
  quantile: "quantileIf",
};

/** Compiles one metric of a spec; `at` names it in errors (e.g. `body/metrics/2`). */
export function compileMetric(metric: Metric, at: string, params: Params): CompiledMetric {
  if (typeof metric === "string") {
    const m = simple(metric);
    if (!m) throw errors.badRequest(`${at}: unknown metric "${metric}"`);
    return m;
  }
  const { name } = metric;
  const plain = simple(name);
  if (plain) return { ...plain, label: metric.label ?? name };
  if (name === "conversions" || name === "converted_visitors" || name === "conversion_rate") {
    const cond = goalCondition(metric.goal, `${at}/goal`, params);
    const goal =
      metric.goal?.page !== undefined ? `page:${metric.goal.page}` : `event:${metric.goal?.event}`;
    const label = metric.label ?? `${name}(${goal})`;
    if (name !== "conversion_rate") {
      const id = name === "conversions" ? "event_id" : "visitor_id";
      return {
        ...count(label, ""),
        atoms: [{ fn: "uniqExactIf", args: `${id}, ${cond}` }],
        columns: ["pathname"],
      };
    }
    return {
      label,
      atoms: [
        { fn: "uniqExactIf", args: `visitor_id, ${cond}` },
        { fn: "uniqExact", args: "visitor_id" },
      ],
      combine: ([a, b]) => `if(${b} = 0, NULL, 100 * ${a} / ${b})`,
      columns: ["pathname"],
      dedupe: false,
      empty: null,
    };
  }
  const fn = PROPERTY_FNS[name];
  if (!fn) throw errors.badRequest(`${at}/name: unknown metric "${name}"`);
  if (metric.property === undefined)
    throw errors.badRequest(`${at}/property: required for ${name}`);
  if (name === "quantile" && metric.q === undefined) {
    throw errors.badRequest(`${at}/q: required for quantile (between 0 and 1)`);
  }
  const key = params.bind(metric.property, "String");
  let cond = `mapContains(props, ${key})`;
  if (metric.event !== undefined) cond += ` AND name = ${params.bind(metric.event, "String")}`;
  const label =
    metric.label ??
    (name === "quantile"
      ? `p${Math.round((metric.q ?? 0) * 1000) / 10}(${metric.property})`
      : `${name}(${metric.property})`);
  return {
    label,
    atoms: [
      {
        fn,
        params: name === "quantile" ? params.bind(metric.q ?? 0.5, "Float64") : undefined,
        args: `toFloat64OrNull(props[${key}]), ${cond}`,
      },
    ],
    combine: (a) => nullIfNaN(first(a)),
    columns: ["props"],
    dedupe: true,
    empty: name === "sum" ? 0 : null,
  };
}

/** `uniqExactIf(x, c)` for a one-level query. */
export function renderAtom(atom: Atom): string {
  return `${atom.fn}${atom.params ? `(${atom.params})` : ""}(${atom.args})`;
}

/** The partial state, computed per session and group. */
export function renderState(atom: Atom): string {
  return `${atom.fn}State${atom.params ? `(${atom.params})` : ""}(${atom.args})`;
}

/** Merges the partial states of `alias`. */
export function renderMerge(atom: Atom, alias: string): string {
  return `${atom.fn}Merge${atom.params ? `(${atom.params})` : ""}(${alias})`;
}
