import { useScope } from "../../state/scope.tsx";

/** No comparison, the previous period of the same length, or the same period a year earlier. */
export function CompareSelect() {
  const { state, go } = useScope();
  const disabled = state.period === "realtime";
  return (
    <label className="compare">
      <span className="visually-hidden">Compare with</span>
      <select
        name="compare"
        value={state.compare ?? ""}
        disabled={disabled}
        onChange={(e) =>
          go({
            compare:
              e.target.value === "previous_period" || e.target.value === "year_earlier"
                ? e.target.value
                : null,
          })
        }
      >
        <option value="">No comparison</option>
        <option value="previous_period">vs previous period</option>
        <option value="year_earlier">vs a year earlier</option>
      </select>
    </label>
  );
}
