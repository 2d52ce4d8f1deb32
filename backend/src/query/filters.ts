import { errors } from "../errors.ts";
import type { Condition, Filter } from "../schemas/query.ts";
import { dimension } from "./allowlist.ts";
import type { Params } from "./params.ts";
import type { SessionColumn } from "./sessions.ts";

export interface CompiledFilter {
  sql: string;
  columns: Set<string>;
  /** Filters on entry or exit page need the session stage. */
  session: boolean;
  sessionColumns: Set<SessionColumn>;
}

const MAX_PATTERN = 256;

function condition(c: Condition, at: string, params: Params, out: CompiledFilter): string {
  const dim = dimension(c.dimension, params);
  if (!dim) throw errors.badRequest(`${at}/dimension: unknown dimension "${c.dimension}"`);
  for (const col of dim.columns) out.columns.add(col);
  if (dim.session) {
    out.session = true;
    out.sessionColumns.add(dim.session);
  }
  if (c.op === "in") {
    // A one-item list arrives as its item: the body schema's coercion unwraps it.
    const values = Array.isArray(c.value) ? c.value : [c.value];
    return `${dim.sql} IN ${params.bind(values, "Array(String)")}`;
  }
  if (typeof c.value !== "string") {
    throw errors.badRequest(`${at}/value: "${c.op}" takes one string`);
  }
  const value = params.bind(c.value, "String");
  switch (c.op) {
    case "is":
      return `${dim.sql} = ${value}`;
    case "is_not":
      return `${dim.sql} != ${value}`;
    case "contains":
      return `positionCaseInsensitiveUTF8(${dim.sql}, ${value}) > 0`;
    case "not_contains":
      return `positionCaseInsensitiveUTF8(${dim.sql}, ${value}) = 0`;
    case "matches":
      if (c.value.length > MAX_PATTERN) {
        throw errors.badRequest(`${at}/value: a pattern may be at most ${MAX_PATTERN} characters`);
      }
      return `match(${dim.sql}, ${value})`;
  }
}

function node(f: Filter, at: string, params: Params, out: CompiledFilter): string {
  if ("dimension" in f) return condition(f, at, params, out);
  const [op, members] = "and" in f ? (["AND", f.and] as const) : (["OR", f.or] as const);
  const key = op === "AND" ? "and" : "or";
  const parts = members.map((m: Filter, i: number) => node(m, `${at}/${key}/${i}`, params, out));
  return `(${parts.join(` ${op} `)})`;
}

/** The filters (combined with AND) as one boolean SQL expression with bound values. */
export function compileFilters(
  filters: readonly Filter[] | undefined,
  params: Params,
  at = "body/filters",
): CompiledFilter {
  const out: CompiledFilter = {
    sql: "1",
    columns: new Set(),
    session: false,
    sessionColumns: new Set(),
  };
  if (!filters?.length) return out;
  out.sql = filters.map((f, i) => node(f, `${at}/${i}`, params, out)).join(" AND ");
  return out;
}
