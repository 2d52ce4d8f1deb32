import { useEffect, useState } from "react";
import { downloadCsv, useQueryApi } from "../api/reports.ts";
import { Link } from "../router.ts";
import { dimensionLabel, valueLabel } from "../state/dimensions.ts";
import { withFilter } from "../state/filters.ts";
import { useScope } from "../state/scope.tsx";
import { Dialog } from "../ui/Dialog.tsx";
import { Empty, ErrorNotice } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import { type EffectiveTab, tabSpec } from "./tabs.ts";

const LIMIT = 1000;
const PAGE = 25;
const SEARCH_DELAY_MS = 300;

/** A tab's full list: search, sort by any column, pages of 25, and CSV export. */
export function DetailsDialog({
  tab,
  title,
  onClose,
}: {
  tab: EffectiveTab;
  title: string;
  onClose: () => void;
}) {
  const { range, filters, state, href } = useScope();
  const [typed, setTyped] = useState("");
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<{ by: string; dir: "asc" | "desc" }>({
    by: tab.columns[0]?.key ?? "visitors",
    dir: "desc",
  });
  const [page, setPage] = useState(0);
  const [exportError, setExportError] = useState<string | null>(null);
  // Typing waits for a pause before it asks the server; only a new search goes back to page 1.
  useEffect(() => {
    const next = typed.trim();
    if (next === search) return;
    const t = setTimeout(() => {
      setSearch(next);
      setPage(0);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [typed, search]);
  const spec = tabSpec(tab, range, filters, { limit: LIMIT, search, sort });
  const query = useQueryApi(spec);
  const rows = query.data?.rows ?? [];
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const shown = rows.slice(page * PAGE, page * PAGE + PAGE);
  const toggleSort = (by: string) => {
    setSort((s) => ({ by, dir: s.by === by && s.dir === "desc" ? "asc" : "desc" }));
    setPage(0);
  };
  const heading = (key: string, label: string, numeric: boolean) => (
    <th
      scope="col"
      className={numeric ? "num" : undefined}
      aria-sort={sort.by === key ? (sort.dir === "asc" ? "ascending" : "descending") : "none"}
    >
      <button type="button" className="sort-button" onClick={() => toggleSort(key)}>
        {label}
        {sort.by === key ? (sort.dir === "asc" ? " ↑" : " ↓") : ""}
      </button>
    </th>
  );
  return (
    <Dialog title={title} onClose={onClose} wide>
      <div className="details-tools">
        <input
          type="search"
          name="search"
          placeholder={`Search ${dimensionLabel(tab.dimension).toLowerCase()}`}
          aria-label={`Search ${dimensionLabel(tab.dimension)}`}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => {
            setExportError(null);
            downloadCsv(
              { ...spec, limit: 10_000 },
              `sightline-${range.sites[0]}-${tab.key}-${range.from}-${range.to}.csv`,
            ).catch((e: Error) => setExportError(e.message));
          }}
        >
          Export CSV
        </button>
      </div>
      {exportError && <ErrorNotice message={exportError} />}
      <QueryState query={query}>
        {() =>
          rows.length === 0 ? (
            <Empty>{search ? `Nothing matches “${search}”.` : tab.empty}</Empty>
          ) : (
            <>
              <div className="table-wrap">
                <table className="details-table">
                  <thead>
                    <tr>
                      {heading(
                        tab.dimension,
                        tab.prefix ? `${tab.prefix} version` : dimensionLabel(tab.dimension),
                        false,
                      )}
                      {tab.columns.map((c) => heading(c.key, c.label, true))}
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((r) => {
                      const value = String(r[tab.dimension] ?? "");
                      const f = tab.filterFor?.(value) ?? null;
                      const text = valueLabel(tab.dimension, value);
                      return (
                        <tr key={value}>
                          <th scope="row">
                            {f ? (
                              <Link
                                to={href({ filters: withFilter(state.filters, f), details: null })}
                              >
                                {text}
                              </Link>
                            ) : (
                              text
                            )}
                          </th>
                          {tab.columns.map((c) => {
                            const v = r[c.key];
                            return (
                              <td key={c.key} className="num">
                                {v === null || v === undefined ? "—" : c.format(Number(v))}
                              </td>
                            );
                          })}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <div className="pager">
                <span className="muted">
                  {rows.length >= LIMIT
                    ? `The first ${LIMIT.toLocaleString("en")} rows`
                    : `${rows.length.toLocaleString("en")} rows`}
                  {" · "}page {page + 1} of {pages}
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
            </>
          )
        }
      </QueryState>
    </Dialog>
  );
}
