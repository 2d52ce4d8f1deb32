import { type FormEvent, useState } from "react";
import { useSites } from "../api/queries.ts";
import { PERIODS } from "../state/periods.ts";
import { Dialog } from "../ui/Dialog.tsx";
import type { BoardContent } from "./api.ts";
import { type Board, PINNABLE, type PinnedPeriod } from "./model.ts";

/** Name, description, sites and the period and comparison a dashboard opens with; deleting it. */
export function BoardSettings({
  board,
  onClose,
  onSave,
  onDelete,
}: {
  board: Board;
  onClose: () => void;
  onSave: (content: Partial<BoardContent>) => void;
  onDelete: () => void;
}) {
  const sites = useSites().data?.sites ?? [];
  const [name, setName] = useState(board.name);
  const [description, setDescription] = useState(board.description);
  const [chosen, setChosen] = useState(new Set(board.sites));
  const [period, setPeriod] = useState<PinnedPeriod>(
    board.defaults.period === "all" || !board.defaults.period ? "30d" : board.defaults.period,
  );
  const [compare, setCompare] = useState(board.defaults.compare ?? "");
  const [confirm, setConfirm] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave({
      name: name.trim(),
      description: description.trim(),
      sites: [...chosen],
      defaults: {
        ...board.defaults,
        period,
        compare: compare === "previous_period" || compare === "year_earlier" ? compare : null,
      },
    });
  };
  return (
    <Dialog title="Dashboard settings" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="board-name">Name</label>
          <input
            id="board-name"
            value={name}
            maxLength={100}
            required
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="board-description">Description</label>
          <textarea
            id="board-description"
            value={description}
            maxLength={1000}
            rows={3}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <fieldset className="field">
          <legend>Sites</legend>
          {sites.map((s) => (
            <label key={s.id} className="inline-field">
              <input
                type="checkbox"
                checked={chosen.has(s.id)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(s.id);
                  else next.delete(s.id);
                  setChosen(next);
                }}
              />
              {s.name}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="board-period">Opens with</label>
          <select
            id="board-period"
            value={period}
            onChange={(e) => setPeriod(e.target.value as PinnedPeriod)}
          >
            {PINNABLE.map((p) => (
              <option key={p} value={p}>
                {PERIODS.find((x) => x.key === p)?.label ?? p}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="board-compare">Comparison</label>
          <select id="board-compare" value={compare} onChange={(e) => setCompare(e.target.value)}>
            <option value="">None</option>
            <option value="previous_period">Previous period</option>
            <option value="year_earlier">A year earlier</option>
          </select>
        </div>
        <div className="form-actions">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button" disabled={!name.trim() || chosen.size === 0}>
            Save
          </button>
        </div>
      </form>
      <div className="danger-zone">
        <label htmlFor="board-delete">
          Delete this dashboard: type its name, <strong>{board.name}</strong>, to confirm.
        </label>
        <div className="inline-form">
          <input id="board-delete" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
          <button
            type="button"
            className="button button-danger"
            disabled={confirm !== board.name}
            onClick={onDelete}
          >
            Delete
          </button>
        </div>
      </div>
    </Dialog>
  );
}
