import type { QueryResult, QuerySpec, Row } from "../schemas/query.ts";
import { type CompiledQuery, compileQuery, type OutputColumn } from "./compile.ts";
import { Params } from "./params.ts";
import { type Reader, readReport } from "./read.ts";
import { bucketListQuery, comparisonRange, isoLabel, type Range, resolveRange } from "./time.ts";

type RawRow = Record<string, string | number | null>;

/**
 * An empty row. Column names are labels the client chose, and `__proto__` is a fine label: on a
 * plain object, setting it would change the prototype and drop the value.
 */
const emptyRow = (): Row => Object.create(null) as Row;

function toRow(raw: RawRow, columns: OutputColumn[]): Row {
  const row = emptyRow();
  for (const c of columns) {
    const v = raw[c.alias];
    if (c.kind === "metric") row[c.name] = v === null || v === undefined ? null : Number(v);
    else if (c.kind === "time") row[c.name] = isoLabel(String(v ?? ""));
    else row[c.name] = v === null || v === undefined ? "" : String(v);
  }
  return row;
}

/** A time series with every bucket of the range present, empty ones zero (or null for averages). */
async function fill(ch: Reader, spec: QuerySpec, range: Range, q: CompiledQuery, rows: Row[]) {
  if (!spec.granularity || spec.dimensions?.length || spec.sort?.length) return rows;
  const params = new Params();
  const sql = bucketListQuery(range, spec.granularity, params);
  const buckets = await readReport<{ t: string }>(ch, sql, params.values);
  const found = new Map(rows.map((r) => [r.time, r]));
  return buckets.map(({ t }) => {
    const label = isoLabel(t);
    const hit = found.get(label);
    if (hit) return hit;
    const row = emptyRow();
    row.time = label;
    for (const c of q.columns) if (c.kind === "metric") row[c.name] = c.empty;
    return row;
  });
}

async function runOver(ch: Reader, spec: QuerySpec, range: Range) {
  const q = compileQuery(spec, range);
  const raw = await readReport<RawRow>(ch, q.sql, q.params);
  const rows = await fill(
    ch,
    spec,
    range,
    q,
    raw.map((r) => toRow(r, q.columns)),
  );
  return { q, rows };
}

/** Validates, compiles and runs a spec (and its comparison period). */
export async function runQuery(ch: Reader, spec: QuerySpec): Promise<QueryResult> {
  const range = resolveRange(spec, spec.granularity);
  const { q, rows } = await runOver(ch, spec, range);
  const result: QueryResult = {
    from: range.from,
    to: range.to,
    tz: range.tz,
    columns: q.columns.map(({ name, kind }) => ({ name, kind })),
    rows,
  };
  if (spec.compare) {
    const other = comparisonRange(range, spec.compare);
    result.comparison = {
      from: other.from,
      to: other.to,
      rows: (await runOver(ch, spec, other)).rows,
    };
  }
  return result;
}

/** Compiles without running: for exports, which stream the rows themselves. */
export function prepareQuery(spec: QuerySpec) {
  const range = resolveRange(spec, spec.granularity);
  return { range, ...compileQuery(spec, range) };
}

export { toRow };
