import { useState } from "react";
import type { QueryResult } from "../api/types.ts";
import { bucketText } from "../charts/TimeSeries.tsx";
import { dimensionLabel, valueLabel } from "../state/dimensions.ts";
import type { Granularity } from "../state/periods.ts";
import { TableWrap } from "../ui/TableWrap.tsx";
import { metricFormat, metricLabel, num } from "./format.ts";

const PAGE = 10;

/** Any answer as a table: click a heading to sort, pages of 10, a bar inside the first metric. */
export function TableVisual({
  result,
  granularity,
}: {
  result: QueryResult;
  granularity?: Granularity;
}) {
  const [sort, setSort] = useState<{ by: string; dir: 1 | -1 } | null>(null);
  const [page, setPage] = useState(0);
  const firstMetric = result.columns.find((c) => c.kind === "metric")?.name;
  const max = Math.max(1, ...result.rows.map((r) => num(r[firstMetric ?? ""]) ?? 0));
  const rows = sort
    ? [...result.rows].sort((a, b) => {
        const x = a[sort.by];
        const y = b[sort.by];
        const cmp =
          typeof x === "number" && typeof y === "number"
            ? x - y
            : String(x ?? "").localeCompare(String(y ?? ""));
        return cmp * sort.dir;
      })
    : result.rows;
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const shown = rows.slice(page * PAGE, page * PAGE + PAGE);
  return (
    <div className="table-visual">
      <TableWrap label="Widget table">
        <table className="details-table">
          <thead>
            <tr>
              {result.columns.map((c) => (
                <th
                  key={c.name}
                  scope="col"
                  className={c.kind === "metric" ? "num" : undefined}
                  aria-sort={
                    sort?.by === c.name ? (sort.dir === 1 ? "ascending" : "descending") : "none"
                  }
                >
                  <button
                    type="button"
                    className="sort-button"
                    onClick={() => {
                      setSort({ by: c.name, dir: sort?.by === c.name && sort.dir === -1 ? 1 : -1 });
                      setPage(0);
                    }}
                  >
                    {c.kind === "dimension"
                      ? dimensionLabel(c.name)
                      : c.kind === "metric"
                        ? metricLabel(c.name)
                        : "Time"}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r, i) => (
              // Rows are unique by their dimensions and time; the index adds the page offset.
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id of their own
              <tr key={`${page}-${i}`}>
                {result.columns.map((c) => {
                  const v = r[c.name];
                  if (c.kind === "metric") {
                    const n = num(v);
                    return (
                      <td key={c.name} className="num cell-bar" data-value={n ?? ""}>
                        {c.name === firstMetric && n !== null && (
                          <span
                            className="cell-bar-fill"
                            style={{ width: `${(n / max) * 100}%` }}
                          />
                        )}
                        <span>{n === null ? "—" : metricFormat(c.name)(n)}</span>
                      </td>
                    );
                  }
                  const text =
                    c.kind === "time" && granularity
                      ? bucketText(String(v), granularity, true)
                      : valueLabel(c.name, String(v ?? ""));
                  return <td key={c.name}>{text}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {pages > 1 && (
        <div className="pager">
          <span className="muted">
            {rows.length} rows · page {page + 1} of {pages}
          </span>
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={page === 0}
            onClick={() => setPage(page - 1)}
          >
            Previous
          </button>
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={page + 1 >= pages}
            onClick={() => setPage(page + 1)}
          >
            Next
          </button>
        </div>
      )}
    </div>
  );
}
