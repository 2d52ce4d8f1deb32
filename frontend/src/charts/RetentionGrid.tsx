import type { RetentionResult } from "../api/types.ts";
import { formatCount } from "../lib/format.ts";
import { describeDays } from "../state/periods.ts";
import { TableWrap } from "../ui/TableWrap.tsx";

/** Cohorts as rows, periods since the first visit as columns, each cell shaded by its rate. */
export function RetentionGrid({
  cohorts,
  period,
}: {
  cohorts: RetentionResult["cohorts"];
  period: RetentionResult["period"];
}) {
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
}
