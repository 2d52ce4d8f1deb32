import { useState } from "react";
import {
  type DateRange,
  isPreset,
  PRESETS,
  type RangeSelection,
  validateRange,
} from "./dateRange.ts";

interface RangePickerProps {
  value: RangeSelection;
  /** The dates the current selection covers, used to seed the custom inputs. */
  range: DateRange;
  onChange: (next: RangeSelection) => void;
}

export function RangePicker({ value, range, onChange }: RangePickerProps) {
  function onSelect(choice: string) {
    if (choice === "custom") onChange({ kind: "custom", from: range.from, to: range.to });
    else if (isPreset(choice)) onChange({ kind: "preset", preset: choice });
  }

  return (
    <>
      <div className="field">
        <label htmlFor="range">Date range</label>
        <select
          id="range"
          name="range"
          value={value.kind === "custom" ? "custom" : value.preset}
          onChange={(e) => onSelect(e.target.value)}
        >
          {PRESETS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom range</option>
        </select>
      </div>
      {value.kind === "custom" && <CustomRange initial={value} onChange={onChange} />}
    </>
  );
}

/**
 * Keeps its own draft so a half-edited range (from after to, a cleared field)
 * can be shown with an error without being queried. Mounted only in custom
 * mode, so the draft starts from the applied range each time.
 */
function CustomRange({
  initial,
  onChange,
}: {
  initial: DateRange;
  onChange: (next: RangeSelection) => void;
}) {
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const error = validateRange(from, to);

  function edit(nextFrom: string, nextTo: string) {
    setFrom(nextFrom);
    setTo(nextTo);
    if (validateRange(nextFrom, nextTo) === null)
      onChange({ kind: "custom", from: nextFrom, to: nextTo });
  }

  return (
    <>
      <div className="field">
        <label htmlFor="range-from">From</label>
        <input
          id="range-from"
          name="from"
          type="date"
          value={from}
          max={to || undefined}
          aria-invalid={error !== null}
          onChange={(e) => edit(e.target.value, to)}
        />
      </div>
      <div className="field">
        <label htmlFor="range-to">To</label>
        <input
          id="range-to"
          name="to"
          type="date"
          value={to}
          min={from || undefined}
          aria-invalid={error !== null}
          onChange={(e) => edit(from, e.target.value)}
        />
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
