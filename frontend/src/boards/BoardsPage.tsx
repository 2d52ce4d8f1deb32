import { type ChangeEvent, useState } from "react";
import { errorMessage } from "../api/client.ts";
import { useSites } from "../api/queries.ts";
import { Link, navigate } from "../router.ts";
import { Empty, ErrorNotice } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import { exportBoard, useBoards, useBoardWrite } from "./api.ts";
import { baseSpec, siteOverviewTemplate } from "./templates.ts";

const boardHref = (id: string) => `/boards/${encodeURIComponent(id)}`;

/** The custom dashboards: open one, start a new one (blank or from the site template), import. */
export default function BoardsPage() {
  const boards = useBoards();
  const sites = useSites();
  const writes = {
    create: useBoardWrite("create"),
    duplicate: useBoardWrite("duplicate"),
    importBoard: useBoardWrite("importBoard"),
  };
  const [site, setSite] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const list = sites.data?.sites ?? [];
  const chosen = list.find((s) => s.id === site) ?? list[0];

  const create = (fromTemplate: boolean) => {
    if (!chosen) return;
    setProblem(null);
    const content = fromTemplate
      ? siteOverviewTemplate(chosen)
      : {
          name: "New dashboard",
          description: "",
          sites: baseSpec([chosen]).sites,
          widgets: [],
          layout: [],
          defaults: { period: "30d" as const, compare: null, filters: [] },
        };
    writes.create.mutate(content, {
      onSuccess: (board) => navigate(`${boardHref(board.id)}?edit=1`),
      onError: (e) => setProblem(errorMessage(e)),
    });
  };
  const importFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (!file) return;
    setProblem(null);
    let doc: unknown;
    try {
      doc = JSON.parse(await file.text());
    } catch {
      setProblem(
        `${file.name} is not JSON: export a dashboard from Sightline and import that file.`,
      );
      return;
    }
    writes.importBoard.mutate(doc, {
      onSuccess: (board) => navigate(boardHref(board.id)),
      onError: (err) => setProblem(`${file.name} could not be imported: ${errorMessage(err)}`),
    });
  };

  return (
    <>
      <div className="toolbar">
        <h1>Custom dashboards</h1>
        <div className="toolbar-right">
          {list.length > 1 && (
            <label className="inline-field">
              For
              <select value={chosen?.id ?? ""} onChange={(e) => setSite(e.target.value)}>
                {list.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button
            type="button"
            className="button button-secondary"
            disabled={!chosen}
            onClick={() => create(true)}
          >
            Copy the site dashboard
          </button>
          <button type="button" className="button" disabled={!chosen} onClick={() => create(false)}>
            New dashboard
          </button>
          <label className="button button-secondary file-button">
            Import…
            <input type="file" accept="application/json,.json" onChange={importFile} />
          </label>
        </div>
      </div>
      {problem && <ErrorNotice message={problem} />}
      <section className="card">
        <QueryState query={boards}>
          {() =>
            boards.data?.dashboards.length ? (
              <ul className="board-list">
                {boards.data.dashboards.map((b) => (
                  <li key={b.id} className="board-row" data-testid="board-row">
                    <div>
                      <Link to={boardHref(b.id)} className="board-name">
                        {b.name}
                      </Link>
                      <span className="muted">
                        {b.widgets} widget{b.widgets === 1 ? "" : "s"} · {b.sites.join(", ")} ·
                        changed{" "}
                        {new Date(b.updatedAt).toLocaleString("en-GB", {
                          dateStyle: "medium",
                          timeStyle: "short",
                        })}
                      </span>
                      {b.description && <p className="muted">{b.description}</p>}
                    </div>
                    <span className="row-actions">
                      <button
                        type="button"
                        className="button button-secondary button-small"
                        onClick={() =>
                          writes.duplicate.mutate(b, {
                            onError: (e) => setProblem(errorMessage(e)),
                          })
                        }
                      >
                        Duplicate
                      </button>
                      <button
                        type="button"
                        className="button button-secondary button-small"
                        onClick={() => exportBoard(b).catch((e: Error) => setProblem(e.message))}
                      >
                        Export
                      </button>
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <Empty>
                No custom dashboards yet. Start from a copy of the site dashboard, or from an empty
                one, and add widgets: numbers, charts, tables, maps, funnels and notes, built by
                picking metrics, no SQL.
              </Empty>
            )
          }
        </QueryState>
      </section>
    </>
  );
}
