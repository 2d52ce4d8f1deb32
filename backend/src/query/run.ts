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

/** Whether a result is a time series that shows every bucket of its range. */
const filled = (spec: QuerySpec) =>
  spec.granularity !== undefined && !spec.dimensions?.length && !spec.sort?.length;

/** A time series with every bucket of the range present, empty ones zero (or null for averages). */
function fill(buckets: { t: string }[], q: CompiledQuery, rows: Row[]): Row[] {
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
  const list = new Params();
  // The bucket list is its own statement, sent beside the query rather than after it.
  const [raw, buckets] = await Promise.all([
    readReport<RawRow>(ch, q.sql, q.params),
    filled(spec) && spec.granularity
      ? readReport<{ t: string }>(ch, bucketListQuery(range, spec.granularity, list), list.values)
      : null,
  ]);
  const rows = raw.map((r) => toRow(r, q.columns));
  return { q, rows: buckets ? fill(buckets, q, rows) : rows };
}

/** Validates, compiles and runs a spec (and its comparison period). */
export async function runQuery(ch: Reader, spec: QuerySpec): Promise<QueryResult> {
  const range = resolveRange(spec, spec.granularity);
  const other = spec.compare ? comparisonRange(range, spec.compare) : null;
  const [{ q, rows }, previous] = await Promise.all([
    runOver(ch, spec, range),
    other ? runOver(ch, spec, other) : null,
  ]);
  const result: QueryResult = {
    from: range.from,
    to: range.to,
    tz: range.tz,
    columns: q.columns.map(({ name, kind }) => ({ name, kind })),
    rows,
  };
  if (other && previous) {
    result.comparison = { from: other.from, to: other.to, rows: previous.rows };
  }
  return result;
}

/** Compiles without running: for exports, which stream the rows themselves. */
export function prepareQuery(spec: QuerySpec) {
  const range = resolveRange(spec, spec.granularity);
  return { range, ...compileQuery(spec, range) };
}

export { toRow };
