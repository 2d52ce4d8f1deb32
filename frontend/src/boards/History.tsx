import { Dialog } from "../ui/Dialog.tsx";
import { Empty } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import { useVersions } from "./api.ts";
import type { Board } from "./model.ts";

/** The last 20 versions of a dashboard; restoring one writes it back as a new version. */
export function History({
  board,
  onClose,
  onRestore,
}: {
  board: Board;
  onClose: () => void;
  onRestore: (version: number) => void;
}) {
  const versions = useVersions(board.id, true);
  return (
    <Dialog title="History" onClose={onClose}>
      <QueryState query={versions}>
        {() =>
          versions.data?.length ? (
            <ol className="history">
              {versions.data.map((v) => (
                <li key={v.version} className="history-row" data-testid="version">
                  <span>
                    <strong>Version {v.version}</strong>{" "}
                    <span className="muted">
                      {new Date(v.updatedAt).toLocaleString("en-GB", {
                        dateStyle: "medium",
                        timeStyle: "short",
                      })}{" "}
                      by {v.updatedBy} · {v.widgets} widget{v.widgets === 1 ? "" : "s"}
                    </span>
                  </span>
                  {v.version === board.version ? (
                    <span className="badge">current</span>
                  ) : (
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      onClick={() => onRestore(v.version)}
                    >
                      Restore
                    </button>
                  )}
                </li>
              ))}
            </ol>
          ) : (
            <Empty>No earlier versions.</Empty>
          )
        }
      </QueryState>
    </Dialog>
  );
}
