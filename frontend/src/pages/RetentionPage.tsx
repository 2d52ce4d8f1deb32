import { useReport } from "../api/reports.ts";
import type { RetentionResult } from "../api/types.ts";
import { RetentionGrid } from "../charts/RetentionGrid.tsx";
import { useScope } from "../state/scope.tsx";
import { Empty, Notice } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import { Toolbar } from "./Toolbar.tsx";

/** Cohorts by first visit, and the share of each that came back in the days or weeks after. */
export default function RetentionPage() {
  const { state, go, range, filters, resolved } = useScope();
  const period = state.extra.period === "day" ? "day" : "week";
  const retention = useReport<RetentionResult>(
    "retention",
    resolved.tooLong ? null : { ...range, filters, period },
  );
  return (
    <>
      <Toolbar compare={false} />
      <section className="card" aria-labelledby="retention-title">
        <div className="card-head">
          <h1 id="retention-title">Retention</h1>
          <label className="inline-field">
            Cohorts by
            <select
              name="period"
              value={period}
              onChange={(e) => go({ extra: { ...state.extra, period: e.target.value } })}
            >
              <option value="week">week</option>
              <option value="day">day</option>
            </select>
          </label>
        </div>
        {resolved.tooLong ? (
          <Notice>{resolved.tooLong}</Notice>
        ) : (
          <QueryState query={retention}>
            {() => {
              const cohorts = retention.data?.cohorts ?? [];
              if (!cohorts.length) return <Empty>No visitors in this period, so no cohorts.</Empty>;
              return <RetentionGrid cohorts={cohorts} period={period} />;
            }}
          </QueryState>
        )}
      </section>
    </>
  );
}
