import { useReport } from "../api/reports.ts";
import type { RetentionResult } from "../api/types.ts";
import { formatCount } from "../lib/format.ts";
import { describeDays } from "../state/periods.ts";
import { useScope } from "../state/scope.tsx";
import { Empty, Notice } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import { TableWrap } from "../ui/TableWrap.tsx";
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
              const width = Math.max(...cohorts.map((c) => c.retention.length));
              const periods = [...Array(width).keys()];
              return (
                <TableWrap label="Retention by cohort">
                  <table className="retention" data-testid="retention-grid">
                    <thead>
                      <tr>
                        <th scope="col">Cohort</th>
                        <th scope="col" className="num">
                          Visitors
                        </th>
                        {periods.map((p) => (
                          <th key={p} scope="col" className="num">
                            {period === "week" ? `Week ${p}` : `Day ${p}`}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {cohorts.map((c) => (
                        <tr key={c.cohort}>
                          <th scope="row">{describeDays(c.cohort, c.cohort)}</th>
                          <td className="num">{formatCount(c.visitors)}</td>
                          {periods.map((p) => {
                            const cell = c.retention.find((r) => r.period === p);
                            if (!cell) return <td key={p} className="cell-empty" />;
                            return (
                              <td
                                key={p}
                                className="num heat"
                                // Square-root shading: 2% and 8% differ as visibly as 50% and 100%.
                                style={
                                  {
                                    "--rate": `${Math.round(10 * Math.sqrt(cell.rate))}%`,
                                  } as React.CSSProperties
                                }
                                title={`${formatCount(cell.visitors)} of ${formatCount(c.visitors)} visitors`}
                              >
                                {cell.rate.toFixed(1)}%
                              </td>
                            );
                          })}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
              );
            }}
          </QueryState>
        )}
      </section>
    </>
  );
}
