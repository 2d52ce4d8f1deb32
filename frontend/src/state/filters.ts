// Filters as the dashboard keeps them: in the URL as `f.<op>.<dimension>=<value>`, so a
// filtered view is a link (`?f.is.country=DE&f.contains.page=/blog`).

export type FilterOp = "is" | "is_not" | "contains" | "not_contains" | "matches";

export interface Filter {
  dimension: string;
  op: FilterOp;
  value: string;
}

export const FILTER_OPS: readonly { op: FilterOp; label: string }[] = [
  { op: "is", label: "is" },
  { op: "is_not", label: "is not" },
  { op: "contains", label: "contains" },
  { op: "not_contains", label: "does not contain" },
  { op: "matches", label: "matches (regex)" },
];

const OPS = new Set<string>(FILTER_OPS.map((o) => o.op));
const PREFIX = "f.";

export function readFilters(query: URLSearchParams): Filter[] {
  const out: Filter[] = [];
  for (const [key, value] of query) {
    if (!key.startsWith(PREFIX)) continue;
    const dot = key.indexOf(".", PREFIX.length);
    const op = key.slice(PREFIX.length, dot);
    const dimension = key.slice(dot + 1);
    if (dot > 0 && OPS.has(op) && dimension) out.push({ dimension, op: op as FilterOp, value });
  }
  return out;
}

export function writeFilters(query: URLSearchParams, filters: readonly Filter[]): void {
  for (const key of [...query.keys()]) if (key.startsWith(PREFIX)) query.delete(key);
  for (const f of filters) query.append(`${PREFIX}${f.op}.${f.dimension}`, f.value);
}

/**
 * Adds a filter; an `is` on a dimension replaces the dimension's other `is` (clicking another row
 * of a list moves the filter, as people expect, instead of asking for two values at once).
 */
export function withFilter(filters: readonly Filter[], add: Filter): Filter[] {
  const kept = filters.filter(
    (f) =>
      !(
        f.dimension === add.dimension &&
        f.op === add.op &&
        (f.op === "is" || f.value === add.value)
      ),
  );
  return [...kept, add];
}

export function withoutFilter(filters: readonly Filter[], drop: Filter): Filter[] {
  return filters.filter(
    (f) => !(f.dimension === drop.dimension && f.op === drop.op && f.value === drop.value),
  );
}

/** The query API's filter list: one condition each, combined with AND. */
export function apiFilters(filters: readonly Filter[]) {
  return filters.map((f) => ({ dimension: f.dimension, op: f.op, value: f.value }));
}
