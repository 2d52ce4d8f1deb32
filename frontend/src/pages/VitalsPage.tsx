import { useQueryApi, useReport } from "../api/reports.ts";
import type { ApiMetric, VitalsResult } from "../api/types.ts";
import { formatCount } from "../lib/format.ts";
import { useScope } from "../state/scope.tsx";
import { Empty, Notice } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import { TableWrap } from "../ui/TableWrap.tsx";
import { Toolbar } from "./Toolbar.tsx";

type Vital = VitalsResult["metrics"][number]["metric"];

/** Google's thresholds: good up to the first, poor above the second. */
export const THRESHOLDS: Record<
  Vital,
  { good: number; poor: number; unit: "ms" | ""; name: string }
> = {
  LCP: { good: 2500, poor: 4000, unit: "ms", name: "Largest Contentful Paint" },
  INP: { good: 200, poor: 500, unit: "ms", name: "Interaction to Next Paint" },
  CLS: { good: 0.1, poor: 0.25, unit: "", name: "Cumulative Layout Shift" },
  FCP: { good: 1800, poor: 3000, unit: "ms", name: "First Contentful Paint" },
  TTFB: { good: 800, poor: 1800, unit: "ms", name: "Time to First Byte" },
};

export function formatVital(metric: Vital, value: number | null): string {
  if (value === null) return "—";
  if (metric === "CLS") return value.toFixed(2);
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

export function rating(
  metric: Vital,
  value: number | null,
): "good" | "needs-improvement" | "poor" | null {
  if (value === null) return null;
  const t = THRESHOLDS[metric];
  return value <= t.good ? "good" : value <= t.poor ? "needs-improvement" : "poor";
}

const P75: ApiMetric = {
  name: "quantile",
  property: "value",
  q: 0.75,
  event: "web_vital",
  label: "p75",
};

/** The p75 of each Core Web Vital with its share of good, middling and poor samples, and by page. */
export default function VitalsPage() {
  const { range, filters, resolved } = useScope();
  const vitals = useReport<VitalsResult>(
    "web-vitals",
    resolved.tooLong ? null : { ...range, filters },
  );
  const byPage = useQueryApi(
    resolved.tooLong
      ? null
      : {
          ...range,
          filters: [...filters, { dimension: "event", op: "is", value: "web_vital" }],
          dimensions: ["page", "prop:metric"],
          metrics: [P75, "events"],
          sort: [{ by: "events", dir: "desc" }],
          limit: 500,
        },
  );
  return (
    <>
      <Toolbar compare={false} />
      {resolved.tooLong ? (
        <Notice>{resolved.tooLong}</Notice>
      ) : (
        <>
          <section className="card" aria-labelledby="vitals-title">
            <div className="card-head">
              <h1 id="vitals-title">Web vitals</h1>
              <span className="muted">75th percentile of real visits</span>
            </div>
            <QueryState query={vitals}>
              {() => {
                const list = vitals.data?.metrics ?? [];
                if (list.every((m) => m.samples === 0))
                  return (
                    <Empty>
                      No web vitals in this period. They are measured by the vitals plugin:
                      data-plugins="vitals" on the snippet.
                    </Empty>
                  );
                return (
                  <div className="vitals">
                    {list.map((m) => {
                      const r = rating(m.metric, m.p75);
                      const total = Math.max(1, m.good + m.needs_improvement + m.poor);
                      return (
                        <div
                          key={m.metric}
                          className="vital"
                          data-testid={`vital-${m.metric}`}
                          data-value={m.p75 ?? ""}
                        >
                          <span className="kpi-label" title={THRESHOLDS[m.metric].name}>
                            {m.metric}
                          </span>
                          <span className={`kpi-value rating-${r ?? "none"}`}>
                            {formatVital(m.metric, m.p75)}
                          </span>
                          <span className="muted">
                            {THRESHOLDS[m.metric].name} · {formatCount(m.samples)} samples
                          </span>
                          <div
                            className="share"
                            role="img"
                            aria-label={`${Math.round((100 * m.good) / total)}% good, ${Math.round((100 * m.needs_improvement) / total)}% need improvement, ${Math.round((100 * m.poor) / total)}% poor`}
                          >
                            <span
                              className="share-good"
                              style={{ width: `${(100 * m.good) / total}%` }}
                            />
                            <span
                              className="share-ni"
                              style={{ width: `${(100 * m.needs_improvement) / total}%` }}
                            />
                            <span
                              className="share-poor"
                              style={{ width: `${(100 * m.poor) / total}%` }}
                            />
                          </div>
                          <span className="share-legend">
                            {Math.round((100 * m.good) / total)}% good ·{" "}
                            {Math.round((100 * m.poor) / total)}% poor
                          </span>
                        </div>
                      );
                    })}
                  </div>
                );
              }}
            </QueryState>
          </section>
          <section className="card" aria-labelledby="vitals-pages">
            <h2 id="vitals-pages">By page</h2>
            <QueryState query={byPage}>
              {() => <VitalsByPage rows={byPage.data?.rows ?? []} />}
            </QueryState>
          </section>
        </>
      )}
    </>
  );
}

function VitalsByPage({ rows }: { rows: Record<string, string | number | null>[] }) {
  const metrics: Vital[] = ["LCP", "INP", "CLS", "FCP", "TTFB"];
  const pages = new Map<string, { samples: number; p75: Partial<Record<Vital, number | null>> }>();
  for (const r of rows) {
    const page = String(r.page ?? "");
    const metric = String(r["prop:metric"] ?? "") as Vital;
    if (!metrics.includes(metric)) continue;
    const entry = pages.get(page) ?? { samples: 0, p75: {} };
    entry.samples += Number(r.events ?? 0);
    entry.p75[metric] = r.p75 === null ? null : Number(r.p75);
    pages.set(page, entry);
  }
  if (pages.size === 0) return <Empty>No page has web vitals in this period.</Empty>;
  return (
    <TableWrap label="Web vitals by page">
      <table className="details-table">
        <thead>
          <tr>
            <th scope="col">Page</th>
            {metrics.map((m) => (
              <th key={m} scope="col" className="num">
                {m}
              </th>
            ))}
            <th scope="col" className="num">
              Samples
            </th>
          </tr>
        </thead>
        <tbody>
          {[...pages].slice(0, 50).map(([page, e]) => (
            <tr key={page}>
              <th scope="row">{page}</th>
              {metrics.map((m) => {
                const v = e.p75[m] ?? null;
                return (
                  <td key={m} className={`num rating-${rating(m, v) ?? "none"}`}>
                    {formatVital(m, v)}
                  </td>
                );
              })}
              <td className="num">{formatCount(e.samples)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
