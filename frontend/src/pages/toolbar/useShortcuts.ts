import { useEffect } from "react";
import { PERIODS, shiftPeriod } from "../../state/periods.ts";
import { useScope } from "../../state/scope.tsx";

/**
 * Plausible's keyboard shortcuts: a letter per period (d today, e yesterday, r realtime, w 7 days,
 * f 28 days, t 30 days, n 91 days, m this month, p last month, y this year, l 12 months, a all
 * time), x to toggle the comparison, and ← → for the previous and next period. Ignored while
 * typing in a field or with a modifier key.
 */
export function useShortcuts(): void {
  const scope = useScope();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || e.defaultPrevented) return;
      const target = e.target as HTMLElement | null;
      if (target?.closest("input, textarea, select, [contenteditable], dialog")) return;
      const { state, go, tz } = scope;
      if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
        const next = shiftPeriod(state, e.key === "ArrowLeft" ? -1 : 1, tz);
        if (next) go({ ...next, period: next.period });
        return;
      }
      const key = e.key.toLowerCase();
      if (key === "x") {
        go({ compare: state.compare ? null : "previous_period" });
        return;
      }
      const period = PERIODS.find((p) => p.shortcut === key && p.key !== "custom");
      if (!period) return;
      if (period.key === "realtime") go({ page: "realtime", details: null, extra: {} });
      else go({ period: period.key, from: undefined, to: undefined });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [scope]);
}
