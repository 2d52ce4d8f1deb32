import { useEffect, useMemo, useRef, useState } from "react";
import ReactGridLayout, { type Layout, useContainerWidth } from "react-grid-layout";
import "react-grid-layout/css/styles.css";
import { ApiError, errorMessage } from "../api/client.ts";
import { useSites } from "../api/queries.ts";
import type { Site } from "../api/types.ts";
import { Toolbar } from "../pages/Toolbar.tsx";
import { Link, navigate, useLocation } from "../router.ts";
import { dashHref } from "../state/dash.ts";
import { PERIODS } from "../state/periods.ts";
import { ScopeProvider, useScope } from "../state/scope.tsx";
import { CloseIcon, CopyIcon, DragIcon, EditIcon } from "../ui/icons.tsx";
import { ErrorNotice, Loading, Notice } from "../ui/Notice.tsx";
import { WidgetView } from "../visuals/WidgetView.tsx";
import { type BoardContent, exportBoard, useBoard, useBoardRemove, useBoardWrite } from "./api.ts";
import { BoardSettings } from "./BoardSettings.tsx";
import { History } from "./History.tsx";
import type { Board, LayoutItem, Widget } from "./model.ts";
import { drawnSource, rangeProblem, type Viewer } from "./viewer.ts";
import { WidgetBuilder } from "./WidgetBuilder.tsx";

export const COLS = 12;
export const ROW = 44;
/** Below this width the grid becomes one column, in layout order, and cannot be edited. */
export const NARROW = 720;

/** One custom dashboard: its widgets on a grid, under the viewer's period and filters. */
export default function BoardPage({ id }: { id: string }) {
  const board = useBoard(id);
  const sites = useSites();
  if (board.isPending || sites.isPending) return <Loading>Loading the dashboard…</Loading>;
  if (board.isError)
    return (
      <ErrorNotice
        message={
          board.error instanceof ApiError && board.error.status === 404
            ? "This dashboard does not exist (any more). Pick another from the list."
            : errorMessage(board.error)
        }
        onRetry={() => board.refetch()}
      />
    );
  const site =
    sites.data?.sites.find((s) => board.data.sites.includes(s.id)) ??
    ({
      id: board.data.sites[0] ?? "",
      name: "",
      domains: [],
      timezone: "UTC",
      retention: { rawMonths: 13, rollupMonths: 60 },
      identity: "cookieless",
      features: [],
    } satisfies Site);
  return (
    <ScopeProvider site={site} firstDay={null} sites={board.data.sites}>
      <BoardView board={board.data} />
    </ScopeProvider>
  );
}

function contentOf(board: Board): BoardContent {
  const { name, description, sites, widgets, layout, defaults } = board;
  return { name, description, sites, widgets, layout, defaults };
}

function BoardView({ board }: { board: Board }) {
  const scope = useScope();
  const { search } = useLocation();
  const editing = new URLSearchParams(search).get("edit") === "1";
  const writes = {
    save: useBoardWrite("save"),
    restore: useBoardWrite("restore"),
    addWidget: useBoardWrite("addWidget"),
    updateWidget: useBoardWrite("updateWidget"),
    removeWidget: useBoardWrite("removeWidget"),
    duplicateWidget: useBoardWrite("duplicateWidget"),
    remove: useBoardRemove(),
  };
  const [problem, setProblem] = useState<string | null>(null);
  const [builder, setBuilder] = useState<Widget | "new" | null>(null);
  const [dialog, setDialog] = useState<"settings" | "history" | null>(null);
  // Content before each change made here, newest last: Undo writes the last one back.
  const undo = useRef<BoardContent[]>([]);
  const { width, containerRef, mounted } = useContainerWidth();

  // A dashboard opens with its own default period, comparison and filters, unless the link says.
  const applied = useRef<string | null>(null);
  useEffect(() => {
    if (applied.current === board.id) return;
    applied.current = board.id;
    const q = new URLSearchParams(search);
    const stated =
      q.has("period") || q.has("compare") || [...q.keys()].some((k) => k.startsWith("f."));
    if (stated) return;
    const d = board.defaults;
    const href = dashHref({
      ...scope.state,
      period: d.period ?? "30d",
      compare: d.compare,
      filters: d.filters.flatMap((f) =>
        "dimension" in f && typeof f.value === "string" && f.op !== "in"
          ? [{ dimension: f.dimension, op: f.op, value: f.value }]
          : [],
      ),
    });
    navigate(`${href}${editing ? `${href.includes("?") ? "&" : "?"}edit=1` : ""}`, {
      replace: true,
    });
  }, [board.id, board.defaults, scope.state, search, editing]);

  const viewer: Viewer = {
    period: scope.state.period,
    from: scope.state.from,
    to: scope.state.to,
    filters: scope.filters,
    compare: scope.state.compare,
  };
  const fail = (e: unknown) =>
    setProblem(
      e instanceof ApiError && e.status === 412
        ? "Someone else changed this dashboard meanwhile. Reload to see their version; nothing of yours was written over it."
        : errorMessage(e),
    );
  const change = <T,>(
    mutation: {
      mutate: (
        input: T,
        options: { onError: (e: unknown) => void; onSuccess?: () => void },
      ) => void;
    },
    input: T,
  ) => {
    setProblem(null);
    undo.current.push(contentOf(board));
    mutation.mutate(input, {
      onError: (e) => {
        undo.current.pop();
        fail(e);
      },
    });
  };
  const saveLayout = (layout: Layout) => {
    const next: LayoutItem[] = layout.map((l) => ({ widget: l.i, x: l.x, y: l.y, w: l.w, h: l.h }));
    const same = next.every((n) =>
      board.layout.some(
        (o) => o.widget === n.widget && o.x === n.x && o.y === n.y && o.w === n.w && o.h === n.h,
      ),
    );
    if (!same) change(writes.save, { board, content: { ...contentOf(board), layout: next } });
  };
  const toggleEdit = () => {
    const q = new URLSearchParams(search);
    if (editing) q.delete("edit");
    else q.set("edit", "1");
    const text = q.toString();
    navigate(`${window.location.pathname}${text ? `?${text}` : ""}`, { replace: true });
  };

  const layout = useMemo(
    () => board.layout.map((l) => ({ i: l.widget, x: l.x, y: l.y, w: l.w, h: l.h })),
    [board.layout],
  );
  const byId = new Map(board.widgets.map((w) => [w.id, w]));
  const ordered = [...board.layout]
    .sort((a, b) => a.y - b.y || a.x - b.x)
    .flatMap((l) => (byId.get(l.widget) ? [byId.get(l.widget) as Widget] : []));
  const narrow = mounted && width < NARROW;

  const card = (w: Widget) => (
    <WidgetCard
      key={w.id}
      widget={w}
      viewer={viewer}
      editing={editing && !narrow}
      onEdit={() => setBuilder(w)}
      onDuplicate={() => change(writes.duplicateWidget, { board, widget: w.id })}
      onDelete={() => change(writes.removeWidget, { board, widget: w.id })}
    />
  );

  return (
    <>
      <div className="board-head">
        <div>
          <Link to="/boards" className="muted">
            Custom dashboards
          </Link>
          <h1 data-testid="board-name">{board.name}</h1>
          {board.description && <p className="muted">{board.description}</p>}
        </div>
        <div className="row-actions">
          {editing && (
            <>
              <button type="button" className="button" onClick={() => setBuilder("new")}>
                + Add widget
              </button>
              <button
                type="button"
                className="button button-secondary"
                disabled={undo.current.length === 0 || writes.save.isPending}
                onClick={() => {
                  const previous = undo.current.pop();
                  if (previous) writes.save.mutate({ board, content: previous }, { onError: fail });
                }}
              >
                Undo
              </button>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => setDialog("settings")}
              >
                Settings
              </button>
            </>
          )}
          <button
            type="button"
            className="button button-secondary"
            onClick={() => setDialog("history")}
          >
            History
          </button>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => exportBoard(board).catch((e: Error) => setProblem(e.message))}
          >
            Export
          </button>
          <button
            type="button"
            className={editing ? "button" : "button button-secondary"}
            aria-pressed={editing}
            onClick={toggleEdit}
          >
            {editing ? "Done" : "Edit"}
          </button>
        </div>
      </div>
      <Toolbar live={false} />
      {problem && <ErrorNotice message={problem} />}
      {/* The container is always there: react-grid-layout measures its width once, on mount. */}
      <div
        ref={containerRef}
        className={
          board.widgets.length ? `board-grid${editing ? " board-editing" : ""}` : undefined
        }
      >
        {board.widgets.length === 0 ? (
          <Notice>
            This dashboard has no widgets yet.{" "}
            {editing ? (
              <button
                type="button"
                className="button button-small"
                onClick={() => setBuilder("new")}
              >
                Add the first widget
              </button>
            ) : (
              <button type="button" className="button button-small" onClick={toggleEdit}>
                Edit to add widgets
              </button>
            )}
          </Notice>
        ) : (
          mounted &&
          (narrow ? (
            <div className="board-stack">{ordered.map(card)}</div>
          ) : (
            <ReactGridLayout
              width={width}
              layout={layout}
              gridConfig={{
                cols: COLS,
                rowHeight: ROW,
                margin: [16, 16],
                containerPadding: [0, 0],
              }}
              dragConfig={{ enabled: editing, handle: ".widget-drag" }}
              resizeConfig={{ enabled: editing, handles: ["se"] }}
              onDragStop={(l) => saveLayout(l)}
              onResizeStop={(l) => saveLayout(l)}
            >
              {board.widgets.map((w) => (
                <div key={w.id} data-testid="grid-item" data-widget={w.id}>
                  {card(w)}
                </div>
              ))}
            </ReactGridLayout>
          ))
        )}
      </div>
      {builder && (
        <WidgetBuilder
          board={board}
          widget={builder === "new" ? null : builder}
          viewer={viewer}
          onClose={() => setBuilder(null)}
          onSave={(widget, size) => {
            setBuilder(null);
            if ("id" in widget && widget.id)
              change(writes.updateWidget, { board, widget: widget as Widget });
            else change(writes.addWidget, { board, widget, layout: freeSlot(board.layout, size) });
          }}
        />
      )}
      {dialog === "settings" && (
        <BoardSettings
          board={board}
          onClose={() => setDialog(null)}
          onSave={(content) => {
            setDialog(null);
            change(writes.save, { board, content: { ...contentOf(board), ...content } });
          }}
          onDelete={() =>
            writes.remove.mutate(board, {
              onSuccess: () => navigate("/boards"),
              onError: fail,
            })
          }
        />
      )}
      {dialog === "history" && (
        <History
          board={board}
          onClose={() => setDialog(null)}
          onRestore={(version) => {
            setDialog(null);
            change(writes.restore, { board, version });
          }}
        />
      )}
    </>
  );
}

/** The first place, top to bottom and left to right, where a widget of `size` overlaps nothing. */
export function freeSlot(layout: readonly LayoutItem[], size: { w: number; h: number }) {
  const w = Math.min(COLS, size.w);
  const taken = (x: number, y: number) =>
    layout.some((l) => x < l.x + l.w && l.x < x + w && y < l.y + l.h && l.y < y + size.h);
  for (let y = 0; ; y++) {
    for (let x = 0; x + w <= COLS; x++) if (!taken(x, y)) return { x, y, w, h: size.h };
  }
}

/** One widget in its card; the edit actions only while editing (also the shared view's, share/). */
export function WidgetCard({
  widget,
  viewer,
  editing,
  onEdit,
  onDuplicate,
  onDelete,
}: {
  widget: Widget;
  viewer: Viewer;
  editing: boolean;
  onEdit: () => void;
  onDuplicate: () => void;
  onDelete: () => void;
}) {
  const tooLong = rangeProblem(widget, viewer);
  const pinned = widget.range ? PERIODS.find((p) => p.key === widget.range?.period)?.label : null;
  return (
    <section
      className="card widget"
      aria-label={widget.name}
      data-testid="widget"
      data-type={widget.visual.type}
    >
      <div className={`widget-head${editing ? " widget-drag" : ""}`} title={widget.name}>
        <h2 className="widget-title">{widget.name}</h2>
        {pinned && (
          <span className="badge" title="This widget keeps its own period">
            {pinned}
          </span>
        )}
        {editing && (
          <span className="widget-actions">
            <span className="icon-button widget-drag" title="Drag to move" aria-hidden="true">
              <DragIcon />
            </span>
            <button
              type="button"
              className="icon-button"
              aria-label={`Edit ${widget.name}`}
              onClick={onEdit}
            >
              <EditIcon />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={`Duplicate ${widget.name}`}
              onClick={onDuplicate}
            >
              <CopyIcon />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={`Delete ${widget.name}`}
              onClick={onDelete}
            >
              <CloseIcon />
            </button>
          </span>
        )}
      </div>
      <div className="widget-body">
        {tooLong ? (
          <Notice>{tooLong}</Notice>
        ) : (
          <WidgetView source={drawnSource(widget, viewer)} visual={widget.visual} />
        )}
      </div>
    </section>
  );
}
