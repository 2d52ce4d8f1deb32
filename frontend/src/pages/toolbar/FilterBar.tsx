import { type FormEvent, useEffect, useRef, useState } from "react";
import { useQueryApi } from "../../api/reports.ts";
import { Link } from "../../router.ts";
import { dimensionLabel, FILTERABLE, valueLabel } from "../../state/dimensions.ts";
import {
  FILTER_OPS,
  type Filter,
  type FilterOp,
  withFilter,
  withoutFilter,
} from "../../state/filters.ts";
import { useScope } from "../../state/scope.tsx";

/** The active filters as removable chips, and a form to add one by hand. */
export function FilterBar() {
  const { state, href } = useScope();
  const [adding, setAdding] = useState(false);
  return (
    <div className="filterbar">
      {state.filters.map((f) => (
        <span key={`${f.op}.${f.dimension}.${f.value}`} className="chip" data-testid="filter-chip">
          <span className="chip-text">
            {dimensionLabel(f.dimension)}{" "}
            <span className="chip-op">{FILTER_OPS.find((o) => o.op === f.op)?.label}</span>{" "}
            <strong>{valueLabel(f.dimension, f.value)}</strong>
          </span>
          <Link
            to={href({ filters: withoutFilter(state.filters, f), details: null })}
            className="chip-remove"
            aria-label={`Remove filter ${dimensionLabel(f.dimension)} ${f.op} ${f.value}`}
          >
            ×
          </Link>
        </span>
      ))}
      {state.filters.length > 1 && (
        <Link to={href({ filters: [] })} className="chip-clear">
          Clear all
        </Link>
      )}
      <div className="filter-add">
        <button
          type="button"
          className="button button-secondary button-small"
          aria-expanded={adding}
          onClick={() => setAdding(!adding)}
        >
          + Filter
        </button>
        {adding && <AddFilter onDone={() => setAdding(false)} />}
      </div>
    </div>
  );
}

function AddFilter({ onDone }: { onDone: () => void }) {
  const { state, go, range, filters } = useScope();
  const [dimension, setDimension] = useState<string>("page");
  const [op, setOp] = useState<FilterOp>("is");
  const [value, setValue] = useState("");
  const box = useRef<HTMLFormElement>(null);
  // Suggestions: the dimension's most common values in this view.
  const suggestions = useQueryApi({
    ...range,
    filters,
    dimensions: [dimension],
    metrics: ["visitors"],
    limit: 25,
  });
  useEffect(() => {
    const close = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) onDone();
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [onDone]);
  const patternError = op === "matches" && !validPattern(value) ? "Not a valid pattern." : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (patternError) return;
    const f: Filter = { dimension, op, value };
    go({ filters: withFilter(state.filters, f), details: null });
    onDone();
  };
  const listId = "filter-values";
  return (
    <form className="popover filter-form" ref={box} onSubmit={submit} aria-label="Add a filter">
      <div className="field">
        <label htmlFor="filter-dimension">Filter by</label>
        <select
          id="filter-dimension"
          name="dimension"
          value={dimension}
          onChange={(e) => setDimension(e.target.value)}
        >
          {FILTERABLE.map((d) => (
            <option key={d} value={d}>
              {dimensionLabel(d)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-op">Condition</label>
        <select
          id="filter-op"
          name="op"
          value={op}
          onChange={(e) => setOp(e.target.value as FilterOp)}
        >
          {FILTER_OPS.map((o) => (
            <option key={o.op} value={o.op}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-value">Value</label>
        <input
          id="filter-value"
          name="value"
          list={listId}
          value={value}
          autoComplete="off"
          aria-invalid={patternError !== null}
          onChange={(e) => setValue(e.target.value)}
        />
        <datalist id={listId}>
          {(suggestions.data?.rows ?? []).map((r) => {
            const v = String(r[dimension] ?? "");
            return (
              <option key={v} value={v}>
                {valueLabel(dimension, v)}
              </option>
            );
          })}
        </datalist>
      </div>
      {patternError && (
        <p className="field-error" role="alert">
          {patternError}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button">
          Apply filter
        </button>
      </div>
    </form>
  );
}

function validPattern(p: string): boolean {
  try {
    new RegExp(p);
    return p.length > 0 && p.length <= 256;
  } catch {
    return false;
  }
}
