import type { Rollup } from "@sightline/config";
import { errors } from "../errors.ts";
import type { Goal, Metric } from "../schemas/query.ts";
import type { Params } from "./params.ts";

/**
 * One partial aggregate of an event metric. Every event query sums up partials from one or more
 * branches (a rollup's hours and the raw events of the hours it cannot answer), so each atom says
 * how to compute its partial on raw events, on a rollup (null: that rollup cannot), and how the
 * partials of several branches merge. Function names and conditions are ours; values are bound.
 */
export interface Atom {
  raw: string;
  rollup: (r: Rollup) => string | null;
  /** sum: counts and sums; state: uniqCombined64 states; one: final values of the raw branch. */
  merge: "sum" | "state" | "one";
  /** For states: the aggregate in one step on raw events (reports that write their own SQL). */
  direct?: string;
  /** Raw columns it reads. */
  columns: readonly string[];
}

export interface EventMetric {
  kind: "event";
  /** The metric's name in the spec (events, visitors, sum, …). */
  name: string;
  label: string;
  atoms: Atom[];
  /** The metric from its merged atoms. */
  combine: (atoms: string[]) => string;
  /** Value aggregates (sums, averages) must not see copies of one event (FINAL on raw events). */
  dedupe: boolean;
  /** What a time bucket or group without data shows. */
  empty: 0 | null;
}

/** A metric of sessions (sightline.sessions), computed over one row per session. */
export interface SessionMetric {
  kind: "session";
  name: string;
  label: string;
  /** Over session rows: pageviews, events, first_ts, last_ts, visitor. */
  sql: string;
  empty: 0 | null;
}

export type CompiledMetric = EventMetric | SessionMetric;

const PAGEVIEW = "name = 'pageview'";
const nullIfNaN = (x: string) => `if(isNaN(${x}), NULL, ${x})`;
const first = (a: string[]) => a[0] ?? "0";
const has = (r: Rollup, ...what: string[]) =>
  what.every((w) => r.dims.includes(w) || (r.measures as readonly string[]).includes(w));

const count = (raw: string, rollup: Atom["rollup"], columns: string[] = []): Atom => ({
  raw,
  rollup,
  merge: "sum",
  columns,
});

/** Distinct visitors: approximate (uniqCombined64, docs/storage.md) unless `exact`. */
function visitorsAtom(
  exact: boolean,
  condition?: { raw: string; rollup: (r: Rollup) => string | null },
): Atom {
  if (exact) {
    return {
      raw: condition ? `uniqExactIf(visitor, ${condition.raw})` : "uniqExact(visitor)",
      rollup: () => null,
      merge: "one",
      columns: ["visitor"],
    };
  }
  return {
    raw: condition
      ? `uniqCombined64StateIf(visitor, ${condition.raw})`
      : "uniqCombined64State(visitor)",
    direct: condition ? `uniqCombined64If(visitor, ${condition.raw})` : "uniqCombined64(visitor)",
    rollup:
      condition?.rollup ??
      ((r) => (has(r, "visitors") ? "uniqCombined64MergeState(visitors)" : null)),
    merge: "state",
    columns: ["visitor"],
  };
}

const eventMetric = (
  label: string,
  atoms: Atom[],
  extra: Partial<Pick<EventMetric, "combine" | "dedupe" | "empty">> = {},
  name = label,
): EventMetric => ({
  kind: "event",
  name,
  label,
  atoms,
  combine: extra.combine ?? first,
  dedupe: extra.dedupe ?? false,
  // null is a value here (averages of nothing), not "not given".
  empty: extra.empty === undefined ? 0 : extra.empty,
});

const sessionMetric = (label: string, sql: string, empty: 0 | null): SessionMetric => ({
  kind: "session",
  name: label,
  label,
  sql,
  empty,
});

/** Session metrics by name; also how visitors, pageviews and events read on sessions. */
export const SESSION_SQL = {
  sessions: "count()",
  bounce_rate: "if(count() = 0, NULL, 100 * countIf(pageviews <= 1) / count())",
  views_per_session: "if(count() = 0, NULL, sum(pageviews) / count())",
  session_duration: "if(count() = 0, NULL, avg(dateDiff('millisecond', first_ts, last_ts)) / 1000)",
} as const;

/** A goal as a condition on one event row, and the placeholder of its bound value. */
function goalParts(goal: Goal | undefined, at: string, params: Params) {
  if (!goal || (goal.page === undefined) === (goal.event === undefined)) {
    throw errors.badRequest(`${at}: give exactly one of page or event`);
  }
  const bound = params.bind(goal.page ?? goal.event ?? "", "String");
  const sql = goal.page !== undefined ? `(${PAGEVIEW} AND pathname = ${bound})` : `name = ${bound}`;
  return { sql, bound };
}

/** A goal as a condition on one event row; `at` names it in errors. */
export function goalCondition(goal: Goal | undefined, at: string, params: Params): string {
  return goalParts(goal, at, params).sql;
}

/** A goal's condition on a rollup row, or null when that rollup cannot tell. */
function goalOnRollup(
  goal: Goal,
  bound: string,
): (r: Rollup) => { count: string; visitors: string } | null {
  return (r) => {
    if (goal.page !== undefined && has(r, "pathname", "pageviews", "pv_visitors")) {
      return {
        count: `sumIf(pageviews, pathname = ${bound})`,
        visitors: `uniqCombined64MergeStateIf(pv_visitors, pathname = ${bound})`,
      };
    }
    if (goal.event !== undefined && has(r, "name", "events", "visitors")) {
      return {
        count: `sumIf(events, name = ${bound})`,
        visitors: `uniqCombined64MergeStateIf(visitors, name = ${bound})`,
      };
    }
    return null;
  };
}

function simple(name: string, exact: boolean): CompiledMetric | null {
  switch (name) {
    case "events":
      return eventMetric(name, [
        count("uniqExact(event_id)", (r) => (has(r, "events") ? "sum(events)" : null), [
          "event_id",
        ]),
      ]);
    case "pageviews":
      return eventMetric(name, [
        count(
          `uniqExactIf(event_id, ${PAGEVIEW})`,
          (r) =>
            has(r, "pageviews")
              ? "sum(pageviews)"
              : has(r, "name", "events")
                ? `sumIf(events, ${PAGEVIEW})`
                : null,
          ["event_id", "name"],
        ),
      ]);
    case "visitors":
      return eventMetric(name, [visitorsAtom(exact)]);
    case "sessions":
    case "bounce_rate":
    case "views_per_session":
    case "session_duration":
      return sessionMetric(name, SESSION_SQL[name], name === "sessions" ? 0 : null);
    case "engaged_time":
    case "scroll_depth": {
      const column = name === "engaged_time" ? "engaged_ms" : "scroll_depth";
      const scale = name === "engaged_time" ? " / 1000" : "";
      return eventMetric(
        name,
        [
          count(
            `sumIf(${column}, name = 'engagement')`,
            (r) => (has(r, column) ? `sum(${column})` : null),
            [column, "name"],
          ),
          count(
            `countIf(name = 'engagement')`,
            (r) => (has(r, "engagements") ? "sum(engagements)" : null),
            ["name"],
          ),
        ],
        {
          combine: ([s, n]) => `if(${n} = 0, NULL, ${s} / ${n}${scale})`,
          dedupe: true,
          empty: null,
        },
      );
    }
    case "revenue":
      return eventMetric(
        name,
        [{ raw: "sum(revenue)", rollup: () => null, merge: "one", columns: ["revenue"] }],
        { combine: (a) => `toFloat64(${first(a)})`, dedupe: true },
      );
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
export function compileMetric(
  metric: Metric,
  at: string,
  params: Params,
  exact = false,
): CompiledMetric {
  if (typeof metric === "string") {
    const m = simple(metric, exact);
    if (!m) throw errors.badRequest(`${at}: unknown metric "${metric}"`);
    return m;
  }
  const { name } = metric;
  const plain = simple(name, exact);
  if (plain) return { ...plain, label: metric.label ?? name };
  if (name === "conversions" || name === "converted_visitors" || name === "conversion_rate") {
    const goal = metric.goal;
    const { sql: cond, bound } = goalParts(goal, `${at}/goal`, params);
    const onRollup = goalOnRollup(goal as Goal, bound);
    const text = goal?.page !== undefined ? `page:${goal.page}` : `event:${goal?.event}`;
    const label = metric.label ?? `${name}(${text})`;
    const converted = visitorsAtom(exact, {
      raw: cond,
      rollup: (r) => onRollup(r)?.visitors ?? null,
    });
    if (name === "conversions") {
      const atom = count(`uniqExactIf(event_id, ${cond})`, (r) => onRollup(r)?.count ?? null, [
        "event_id",
        "name",
        "pathname",
      ]);
      return eventMetric(label, [atom], {}, name);
    }
    const goalColumns = { ...converted, columns: ["visitor", "name", "pathname"] };
    if (name === "converted_visitors") return eventMetric(label, [goalColumns], {}, name);
    return eventMetric(
      label,
      [goalColumns, visitorsAtom(exact)],
      { combine: ([a, b]) => `if(${b} = 0, NULL, 100 * ${a} / ${b})`, empty: null },
      name,
    );
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
  const level = name === "quantile" ? `(${params.bind(metric.q ?? 0.5, "Float64")})` : "";
  return eventMetric(
    label,
    [
      {
        raw: `${fn}${level}(toFloat64OrNull(props[${key}]), ${cond})`,
        rollup: () => null,
        merge: "one",
        columns: ["props", "name"],
      },
    ],
    { combine: (a) => nullIfNaN(first(a)), dedupe: true, empty: name === "sum" ? 0 : null },
    name,
  );
}

/** An event metric in one step over raw events, for reports that write their own SQL. */
export function rawAggregate(m: CompiledMetric): string {
  if (m.kind !== "event") throw new Error(`${m.name} is a session metric`);
  return m.combine(m.atoms.map((a) => a.direct ?? a.raw));
}
