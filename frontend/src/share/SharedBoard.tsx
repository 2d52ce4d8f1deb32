import ReactGridLayout, { useContainerWidth } from "react-grid-layout";
import "react-grid-layout/css/styles.css";
import { COLS, NARROW, ROW, WidgetCard } from "../boards/BoardPage.tsx";
import type { Board, Widget } from "../boards/model.ts";
import type { Viewer } from "../boards/viewer.ts";
import { Toolbar } from "../pages/Toolbar.tsx";
import { ScopeProvider, useScope } from "../state/scope.tsx";
import { Notice } from "../ui/Notice.tsx";
import { sharedSite } from "./SharePage.tsx";

/** A custom dashboard opened through a share link: its widgets, drawn read-only. */
export default function SharedBoard({ board }: { board: Board }) {
  const tz = board.widgets.flatMap((w) =>
    w.source.kind === "query"
      ? [w.source.spec.tz]
      : w.source.kind === "none"
        ? []
        : [w.source.body.tz],
  )[0];
  const site = sharedSite({ id: board.sites[0] ?? "", name: board.name, timezone: tz ?? "UTC" });
  return (
    <ScopeProvider site={site} firstDay={null} sites={board.sites}>
      <SharedGrid board={board} />
    </ScopeProvider>
  );
}

function SharedGrid({ board }: { board: Board }) {
  const scope = useScope();
  const { width, containerRef, mounted } = useContainerWidth();
  const viewer: Viewer = {
    period: scope.state.period,
    from: scope.state.from,
    to: scope.state.to,
    filters: scope.filters,
    compare: scope.state.compare,
  };
  const byId = new Map(board.widgets.map((w) => [w.id, w]));
  const ordered = [...board.layout]
    .sort((a, b) => a.y - b.y || a.x - b.x)
    .flatMap((l) => (byId.get(l.widget) ? [byId.get(l.widget) as Widget] : []));
  const card = (w: Widget) => (
    <WidgetCard
      key={w.id}
      widget={w}
      viewer={viewer}
      editing={false}
      onEdit={() => {}}
      onDuplicate={() => {}}
      onDelete={() => {}}
    />
  );
  return (
    <>
      <div className="board-head">
        <div>
          <h1 data-testid="board-name">{board.name}</h1>
          {board.description && <p className="muted">{board.description}</p>}
        </div>
      </div>
      <Toolbar live={false} />
      {board.widgets.length === 0 ? (
        <Notice>This dashboard has no widgets.</Notice>
      ) : (
        <div ref={containerRef} className="board-grid">
          {mounted &&
            (width < NARROW ? (
              <div className="board-stack">{ordered.map(card)}</div>
            ) : (
              <ReactGridLayout
                width={width}
                layout={board.layout.map((l) => ({ i: l.widget, x: l.x, y: l.y, w: l.w, h: l.h }))}
                gridConfig={{
                  cols: COLS,
                  rowHeight: ROW,
                  margin: [16, 16],
                  containerPadding: [0, 0],
                }}
                dragConfig={{ enabled: false }}
                resizeConfig={{ enabled: false }}
              >
                {board.widgets.map((w) => (
                  <div key={w.id}>{card(w)}</div>
                ))}
              </ReactGridLayout>
            ))}
        </div>
      )}
    </>
  );
}
