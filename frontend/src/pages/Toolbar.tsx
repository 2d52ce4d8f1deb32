import { useReport } from "../api/reports.ts";
import type { Realtime } from "../api/types.ts";
import { Link } from "../router.ts";
import { switchTo } from "../state/dash.ts";
import { useScope } from "../state/scope.tsx";
import { CompareSelect } from "./toolbar/CompareSelect.tsx";
import { DatePicker } from "./toolbar/DatePicker.tsx";
import { FilterBar } from "./toolbar/FilterBar.tsx";
import { useShortcuts } from "./toolbar/useShortcuts.ts";

const LIVE_MS = 30_000;

/** Filters on the left; live visitors, the period and the comparison on the right. */
export function Toolbar({ compare = true, live = true }: { compare?: boolean; live?: boolean }) {
  useShortcuts();
  return (
    <div className="toolbar">
      <FilterBar />
      <div className="toolbar-right">
        {live && <CurrentVisitors />}
        <DatePicker />
        {compare && <CompareSelect />}
      </div>
    </div>
  );
}

/** Visitors of the last five minutes, updated every 30 s; a link to the realtime page. */
export function CurrentVisitors() {
  const { range, filters, href, state } = useScope();
  const live = useReport<Realtime>(
    "realtime",
    { sites: range.sites, filters },
    { refetchInterval: LIVE_MS },
  );
  const n = live.data?.visitors;
  return (
    <Link
      to={href(switchTo(state, { page: "realtime" }))}
      className="live"
      data-testid="current-visitors"
      data-value={n}
      title="Visitors in the last 5 minutes"
    >
      <span className="live-dot" aria-hidden="true" />
      {n === undefined ? "…" : `${n.toLocaleString("en")} current visitor${n === 1 ? "" : "s"}`}
    </Link>
  );
}
