import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, navigate } from "../../router.ts";
import { switchTo } from "../../state/dash.ts";
import {
  dayOf,
  MAX_DAYS,
  PERIOD_GROUPS,
  parseDay,
  shiftPeriod,
  wallClock,
} from "../../state/periods.ts";
import { useScope } from "../../state/scope.tsx";

/**
 * The period: a menu of presets (each a link, with its keyboard shortcut), a custom range with
 * calendar and typed dates that is applied only when submitted, and arrows for the previous and
 * next period.
 */
export function DatePicker() {
  const { state, href, resolved, tz } = useScope();
  const [open, setOpen] = useState<"menu" | "custom" | null>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (
        e instanceof KeyboardEvent ? e.key === "Escape" : !box.current?.contains(e.target as Node)
      )
        setOpen(null);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  const prev = shiftPeriod(state, -1, tz);
  const next = shiftPeriod(state, 1, tz);

  return (
    <div className="datepicker" ref={box}>
      <div className="datepicker-row">
        <Arrow to={prev ? href({ ...prev }) : null} label="Previous period" glyph="‹" />
        <button
          type="button"
          className="button button-secondary datepicker-button"
          aria-haspopup="menu"
          aria-expanded={open !== null}
          data-testid="period"
          onClick={() => setOpen(open ? null : "menu")}
        >
          {resolved.label}
          <span aria-hidden="true" className="caret">
            ▾
          </span>
        </button>
        <Arrow to={next ? href({ ...next }) : null} label="Next period" glyph="›" />
      </div>
      {open === "menu" && (
        <div className="popover" role="menu" aria-label="Period">
          {PERIOD_GROUPS.map((group) => (
            <div key={group[0]?.key} className="popover-group">
              {group.map((p) =>
                p.key === "custom" ? (
                  <button
                    key={p.key}
                    type="button"
                    role="menuitem"
                    className="popover-item"
                    onClick={() => setOpen("custom")}
                  >
                    {p.label}
                    <kbd>{p.shortcut.toUpperCase()}</kbd>
                  </button>
                ) : (
                  <Link
                    key={p.key}
                    role="menuitem"
                    className="popover-item"
                    aria-current={state.period === p.key ? "true" : undefined}
                    to={
                      p.key === "realtime"
                        ? href(switchTo(state, { page: "realtime" }))
                        : href({ period: p.key, from: undefined, to: undefined })
                    }
                    onClick={() => setOpen(null)}
                  >
                    {p.label}
                    <kbd>{p.shortcut.toUpperCase()}</kbd>
                  </Link>
                ),
              )}
            </div>
          ))}
        </div>
      )}
      {open === "custom" && (
        <CustomRange
          initialFrom={resolved.from.slice(0, 10)}
          initialTo={resolved.to.slice(0, 10)}
          today={dayOf(wallClock(tz))}
          onApply={(from, to) => {
            setOpen(null);
            navigate(href({ period: "custom", from, to }));
          }}
          onCancel={() => setOpen(null)}
        />
      )}
    </div>
  );
}

function Arrow({ to, label, glyph }: { to: string | null; label: string; glyph: string }) {
  return to ? (
    <Link to={to} className="icon-button" aria-label={label} title={`${label} (arrow key)`}>
      {glyph}
    </Link>
  ) : (
    <span className="icon-button icon-button-off" aria-hidden="true">
      {glyph}
    </span>
  );
}

/**
 * Two dates, typed or picked from the browser's calendar. Nothing is asked of the server until
 * Apply, so typing a date sends no request per keystroke; problems are named before that.
 */
function CustomRange({
  initialFrom,
  initialTo,
  today,
  onApply,
  onCancel,
}: {
  initialFrom: string;
  initialTo: string;
  today: string;
  onApply: (from: string, to: string) => void;
  onCancel: () => void;
}) {
  const [from, setFrom] = useState(initialFrom);
  const [to, setTo] = useState(initialTo);
  const problem = rangeProblem(from, to);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!problem) onApply(from, to);
  };
  return (
    <form className="popover custom-range" aria-label="Custom range" onSubmit={submit}>
      <div className="field">
        <label htmlFor="range-from">From</label>
        <input
          id="range-from"
          name="from"
          type="date"
          value={from}
          max={today}
          onChange={(e) => setFrom(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="range-to">To</label>
        <input
          id="range-to"
          name="to"
          type="date"
          value={to}
          max={today}
          onChange={(e) => setTo(e.target.value)}
        />
      </div>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button" disabled={problem !== null}>
          Apply
        </button>
      </div>
    </form>
  );
}

export function rangeProblem(from: string, to: string): string | null {
  const a = parseDay(from);
  const b = parseDay(to);
  if (Number.isNaN(a)) return "Choose a valid start date.";
  if (Number.isNaN(b)) return "Choose a valid end date.";
  if (b < a) return "The start date must be on or before the end date.";
  const days = Math.round((b - a) / 86_400_000) + 1;
  if (days > MAX_DAYS)
    return `That is ${days} days; a report can span at most ${MAX_DAYS} days. Choose a shorter range.`;
  return null;
}
