import { errors } from "../errors.ts";
import type { Condition, Filter, FilterOp } from "../schemas/query.ts";
import { dimension, type ResolvedDimension } from "./allowlist.ts";
import type { Params } from "./params.ts";

const MAX_PATTERN = 256;

/** One condition with its dimension resolved and its value bound (once, whatever reads it). */
export interface Leaf {
  dim: ResolvedDimension;
  op: FilterOp;
  /** The bound value: a String placeholder, or an Array(String) one for `in`. */
  value: string;
}

export type FilterNode = Leaf | { op: "AND" | "OR"; members: FilterNode[] };

export interface ParsedFilters {
  /** null: no filter. */
  tree: FilterNode | null;
  leaves: Leaf[];
  /** Raw event columns the leaves read (dimensions on events). */
  columns: Set<string>;
}

/** The condition of `op` on `operand` (SQL of the dimension's value). */
export function conditionSql(operand: string, op: FilterOp, value: string): string {
  switch (op) {
    case "in":
      return `${operand} IN ${value}`;
    case "is":
      return `${operand} = ${value}`;
    case "is_not":
      return `${operand} != ${value}`;
    case "contains":
      return `positionCaseInsensitiveUTF8(${operand}, ${value}) > 0`;
    case "not_contains":
      return `positionCaseInsensitiveUTF8(${operand}, ${value}) = 0`;
    case "matches":
      return `match(${operand}, ${value})`;
  }
}

function leaf(c: Condition, at: string, params: Params, out: ParsedFilters): Leaf {
  const dim = dimension(c.dimension, params);
  if (!dim) throw errors.badRequest(`${at}/dimension: unknown dimension "${c.dimension}"`);
  for (const col of dim.columns) out.columns.add(col);
  let value: string;
  if (c.op === "in") {
    // A one-item list arrives as its item: the body schema's coercion unwraps it.
    value = params.bind(Array.isArray(c.value) ? c.value : [c.value], "Array(String)");
  } else {
    if (typeof c.value !== "string") {
      throw errors.badRequest(`${at}/value: "${c.op}" takes one string`);
    }
    if (c.op === "matches" && c.value.length > MAX_PATTERN) {
      throw errors.badRequest(`${at}/value: a pattern may be at most ${MAX_PATTERN} characters`);
    }
    value = params.bind(c.value, "String");
  }
  const l = { dim, op: c.op, value };
  out.leaves.push(l);
  return l;
}

function node(f: Filter, at: string, params: Params, out: ParsedFilters): FilterNode {
  if ("dimension" in f) return leaf(f, at, params, out);
  const [op, members] = "and" in f ? (["AND", f.and] as const) : (["OR", f.or] as const);
  const key = op === "AND" ? "and" : "or";
  return {
    op,
    members: members.map((m: Filter, i: number) => node(m, `${at}/${key}/${i}`, params, out)),
  };
}

/** Checks the filters (combined with AND) and binds their values. */
export function parseFilters(
  filters: readonly Filter[] | undefined,
  params: Params,
  at = "body/filters",
): ParsedFilters {
  const out: ParsedFilters = { tree: null, leaves: [], columns: new Set() };
  if (!filters?.length) return out;
  const members = filters.map((f, i) => node(f, `${at}/${i}`, params, out));
  out.tree = members.length === 1 ? (members[0] as FilterNode) : { op: "AND", members };
  return out;
}

/** The filters as one boolean SQL expression, each condition rendered by `render`; "1" for none. */
export function renderFilters(parsed: ParsedFilters, render: (leaf: Leaf) => string): string {
  const walk = (n: FilterNode): string =>
    "members" in n ? `(${n.members.map(walk).join(` ${n.op} `)})` : render(n);
  return parsed.tree ? walk(parsed.tree) : "1";
}

/** A condition on events: the dimension's event SQL (entry and exit page: the joined session's). */
export const eventLeaf = (l: Leaf) => conditionSql(l.dim.sql, l.op, l.value);

/** Filters that read entry or exit page, which events get from their session. */
export const needsSessions = (parsed: ParsedFilters) =>
  parsed.leaves.some((l) => l.dim.sessionOnly);

/** The compiled WHERE of event reports that write their own SQL. */
export interface CompiledFilter {
  sql: string;
  columns: Set<string>;
  /** Entry or exit page: events must be joined to their sessions. */
  session: boolean;
}

/** Filters on events: for reports over raw events (funnels, vitals, errors, properties). */
export function compileFilters(
  filters: readonly Filter[] | undefined,
  params: Params,
  at = "body/filters",
): CompiledFilter {
  const parsed = parseFilters(filters, params, at);
  return {
    sql: renderFilters(parsed, eventLeaf),
    columns: parsed.columns,
    session: needsSessions(parsed),
  };
}
