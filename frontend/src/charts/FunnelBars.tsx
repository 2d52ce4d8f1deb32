import type { FunnelResult } from "../api/types.ts";
import { formatCount } from "../lib/format.ts";

/** Each step's visitors as a bar of the first step's, with conversion and drop-off. */
export function FunnelBars({ steps }: { steps: FunnelResult["steps"] }) {
  return (
    <ol className="funnel">
      {steps.map((s, i) => (
        <li
          // biome-ignore lint/suspicious/noArrayIndexKey: two steps may name the same page; a step is its position
          key={`${i}-${s.name}`}
          className="funnel-step"
          data-testid="funnel-step"
          data-value={s.visitors}
        >
          <div className="funnel-label">
            <span className="funnel-index">{i + 1}</span>
            <strong>{s.name}</strong>
          </div>
          <div className="funnel-track">
            <span
              className="funnel-bar"
              style={{ width: `${Math.max(0.5, s.conversion_rate)}%` }}
            />
          </div>
          <div className="funnel-numbers">
            <span>
              {formatCount(s.visitors)} visitors · {s.conversion_rate.toFixed(1)}%
            </span>
            {i > 0 && (
              <span className="muted">
                {s.step_conversion_rate.toFixed(1)}% of the step before · {formatCount(s.drop_off)}{" "}
                dropped off
              </span>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
