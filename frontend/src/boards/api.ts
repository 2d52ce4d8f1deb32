import { skipToken, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../api/client.ts";
import type { Board, BoardSummary, LayoutItem, Version, Widget } from "./model.ts";

// The custom dashboards API (backend README, "Dashboards"). Every write to an existing dashboard
// sends If-Match with the version the client holds; a stale one is refused with 412.

const base = "/api/v1/dashboards";
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;
const ifMatch = (version: number) => ({ "If-Match": `"${version}"` });

export const boardKeys = {
  list: ["boards"] as const,
  one: (id: string) => ["boards", id] as const,
  versions: (id: string) => ["boards", id, "versions"] as const,
  meta: ["query", "meta"] as const,
};

export function useBoards() {
  return useQuery({
    queryKey: boardKeys.list,
    queryFn: ({ signal }) => apiFetch<{ dashboards: BoardSummary[] }>(base, { signal }),
  });
}

export function useBoard(id: string) {
  return useQuery({
    queryKey: boardKeys.one(id),
    queryFn: ({ signal }) => apiFetch<Board>(one(id), { signal }),
    // Someone else's save shows up on the next visit, not under an open editor.
    refetchOnWindowFocus: false,
  });
}

export type BoardContent = Pick<
  Board,
  "name" | "description" | "sites" | "widgets" | "layout" | "defaults"
>;

type Writes = {
  create: BoardContent;
  save: { board: Board; content: BoardContent };
  duplicate: Board | BoardSummary;
  restore: { board: Board; version: number };
  addWidget: { board: Board; widget: Omit<Widget, "id">; layout?: Omit<LayoutItem, "widget"> };
  updateWidget: { board: Board; widget: Widget };
  removeWidget: { board: Board; widget: string };
  duplicateWidget: { board: Board; widget: string };
  importBoard: unknown;
};

const widgetPath = (board: Board, widget: string) =>
  `${one(board.id)}/widgets/${encodeURIComponent(widget)}`;

/** Each write as one request; every one answers the whole dashboard, with its new version. */
const WRITES: { [K in keyof Writes]: (input: Writes[K]) => Promise<Board> } = {
  create: (content) => apiFetch<Board>(base, { method: "POST", body: content }),
  save: ({ board, content }) =>
    apiFetch<Board>(one(board.id), {
      method: "PUT",
      body: content,
      headers: ifMatch(board.version),
    }),
  duplicate: (board) => apiFetch<Board>(`${one(board.id)}/duplicate`, { method: "POST" }),
  restore: ({ board, version }) =>
    apiFetch<Board>(`${one(board.id)}/versions/${version}/restore`, {
      method: "POST",
      headers: ifMatch(board.version),
    }),
  addWidget: ({ board, widget, layout }) =>
    apiFetch<Board>(`${one(board.id)}/widgets`, {
      method: "POST",
      body: { ...widget, ...(layout ? { layout } : {}) },
      headers: ifMatch(board.version),
    }),
  updateWidget: ({ board, widget }) => {
    const { id, ...rest } = widget;
    return apiFetch<Board>(widgetPath(board, id), {
      method: "PUT",
      body: rest,
      headers: ifMatch(board.version),
    });
  },
  removeWidget: ({ board, widget }) =>
    apiFetch<Board>(widgetPath(board, widget), {
      method: "DELETE",
      headers: ifMatch(board.version),
    }),
  duplicateWidget: ({ board, widget }) =>
    apiFetch<Board>(`${widgetPath(board, widget)}/duplicate`, {
      method: "POST",
      headers: ifMatch(board.version),
    }),
  importBoard: (document) => apiFetch<Board>(`${base}/import`, { method: "POST", body: document }),
};

/** One write as a mutation; its answer (the dashboard's new version) goes into the cache. */
export function useBoardWrite<K extends keyof Writes>(kind: K) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: Writes[K]) => WRITES[kind](input),
    onSuccess: (board: Board) => {
      client.setQueryData(boardKeys.one(board.id), board);
      void client.invalidateQueries({ queryKey: boardKeys.list });
      void client.invalidateQueries({ queryKey: boardKeys.versions(board.id) });
    },
  });
}

export function useBoardRemove() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (board: Board) =>
      apiFetch<void>(one(board.id), { method: "DELETE", headers: ifMatch(board.version) }),
    onSuccess: () => client.invalidateQueries({ queryKey: boardKeys.list }),
  });
}

export function useVersions(id: string, enabled: boolean) {
  return useQuery({
    queryKey: boardKeys.versions(id),
    queryFn: enabled
      ? ({ signal }) => apiFetch<Version[]>(`${one(id)}/versions`, { signal })
      : skipToken,
  });
}

export async function exportBoard(board: Pick<Board, "id" | "name">): Promise<void> {
  const doc = await apiFetch<unknown>(`${one(board.id)}/export`);
  const url = URL.createObjectURL(
    new Blob([JSON.stringify(doc, null, 2)], { type: "application/json" }),
  );
  const a = document.createElement("a");
  a.href = url;
  a.download = `${board.name.replace(/[^\w.-]+/g, "-").toLowerCase() || "dashboard"}.sightline.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The layout slot for a new widget: full width under everything else. */
export function slotBelow(
  layout: readonly LayoutItem[],
  widget: Pick<Widget, "id">,
  w = 6,
  h = 4,
): LayoutItem {
  const y = layout.reduce((max, l) => Math.max(max, l.y + l.h), 0);
  return { widget: widget.id, x: 0, y, w, h };
}
