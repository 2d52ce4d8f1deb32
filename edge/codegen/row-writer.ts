import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { COLUMNS, type ColumnName } from "../src/columns.ts";
import { jsonWriterFor } from "../src/json-values.ts";

/**
 * Writes src/row-writer.generated.ts, the NDJSON line writer, from the column table: one line per
 * row with every column in table order. The code is generated, not a loop over the table, because
 * straight property reads and a few flat strings per line are what keep the collector fast (a
 * generic loop measured ~1.8× slower), and Workers may not compile code at run time. A test
 * checks the file is up to date; after changing columns.ts run
 * `npx --yes pnpm@12.21.0 --filter @sightline/edge generate`.
 */

/**
 * Where a new run starts: columns whose values change together share one, serialised once and
 * reused while the rows of a batch repeat them. A column added to the table joins the run of the
 * column before it.
 */
const RUN_STARTS: readonly ColumnName[] = [
  "site_id",
  "ts",
  "name",
  "visitor_id",
  "hostname",
  "country",
  "revenue",
];
/** Written anew for every row: no two rows share an event id, and objects may change in place. */
const EVERY_ROW: readonly ColumnName[] = ["event_id"];

type Segment =
  | { kind: "run"; field: string; columns: ColumnName[] }
  | { kind: "each"; column: ColumnName };

function plan(): Segment[] {
  const segments: Segment[] = [];
  for (const name of Object.keys(COLUMNS) as ColumnName[]) {
    const writer = jsonWriterFor(COLUMNS[name].clickhouse);
    if (EVERY_ROW.includes(name) || writer === "objectValue") {
      segments.push({ kind: "each", column: name });
      continue;
    }
    const last = segments.at(-1);
    if (last?.kind === "run" && !RUN_STARTS.includes(name)) last.columns.push(name);
    else segments.push({ kind: "run", field: `from_${name}`, columns: [name] });
  }
  return segments;
}

/** The source of row-writer.generated.ts. */
export function renderRowWriter(): string {
  const names = Object.keys(COLUMNS) as ColumnName[];
  // Column names are identifiers (the migrations' test checks), so they need no escaping.
  const key = (name: ColumnName) => `'${name === names[0] ? "{" : ","}"${name}":'`;
  const write = (name: ColumnName) => `${jsonWriterFor(COLUMNS[name].clickhouse)}(r.${name})`;
  const segments = plan();
  const runs = segments.filter((s) => s.kind === "run");
  const each = segments.filter((s) => s.kind === "each");
  const writers = [...new Set(names.map((n) => jsonWriterFor(COLUMNS[n].clickhouse)))].sort();
  const out: string[] = [
    "// Generated from the column table (columns.ts) by edge/codegen/row-writer.ts. Do not edit:",
    "// after changing the table run `npx --yes pnpm@12.21.0 --filter @sightline/edge generate`.",
    `import { ${writers.join(", ")} } from "./json-values.ts";`,
    'import type { EventRow } from "./row.ts";',
    "",
    "/** The column runs as serialised for the previous row, and a copy of that row. */",
    "export interface Runs {",
    "  row: EventRow | null;",
    ...runs.map((s) => `  ${s.field}: string;`),
    "}",
    "",
    "export function emptyRuns(): Runs {",
    "  return {",
    "    row: null,",
    ...runs.map((s) => `    ${s.field}: "",`),
    "  };",
    "}",
    "",
    "/**",
    " * Appends the row's line to `parts`, rewriting only the runs whose values differ from the",
    " * previous row's. Throws IRREGULAR for a value outside the row type, with `parts` untouched and",
    " * `runs.row` cleared. Runs are built with `join`, which makes a flat string: one built with `+`",
    " * is a tree of pieces that every line copying it walks again.",
    " */",
    "export function writeLine(r: EventRow, runs: Runs, parts: string[]): void {",
    "  const p = runs.row;",
    "  // Cleared first: should a value below throw, no later row may reuse half-updated runs.",
    "  runs.row = null;",
  ];
  for (const s of runs) {
    const changed = ["!p", ...s.columns.map((c) => `r.${c} !== p.${c}`)];
    const pieces = s.columns.flatMap((c) => [key(c), write(c)]);
    if (changed.length === 2) out.push(`  if (${changed.join(" || ")}) {`);
    else
      out.push(
        "  if (",
        ...changed.map((c, i) => `    ${c}${i < changed.length - 1 ? " ||" : ""}`),
        "  ) {",
      );
    out.push(
      `    runs.${s.field} = [`,
      ...pieces.map((p) => `      ${p},`),
      '    ].join("");',
      "  }",
    );
  }
  for (const s of each) out.push(`  const ${s.column} = ${write(s.column)};`);
  const line = segments.flatMap((s) =>
    s.kind === "run" ? [`runs.${s.field}`] : [key(s.column), s.column],
  );
  out.push(
    "  parts.push(",
    ...line.map((l) => `    ${l},`),
    '    "}\\n",',
    "  );",
    "  runs.row = r;",
    "}",
    "",
  );
  return out.join("\n");
}

export const ROW_WRITER_FILE = fileURLToPath(
  new URL("../src/row-writer.generated.ts", import.meta.url),
);
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(ROW_WRITER_FILE, renderRowWriter());
  console.log(`wrote ${ROW_WRITER_FILE}`);
}
