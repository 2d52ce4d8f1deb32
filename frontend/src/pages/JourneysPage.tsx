import { type FormEvent, lazy, Suspense, useState } from "react";
import { useQueryApi, useReport } from "../api/reports.ts";
import type { JourneysResult } from "../api/types.ts";
import { formatCount } from "../lib/format.ts";
import { useScope } from "../state/scope.tsx";
import { ErrorBoundary } from "../ui/ErrorBoundary.tsx";
import { Empty, ErrorNotice, Loading, Notice } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import { Toolbar } from "./Toolbar.tsx";

const Sankey = lazy(() => import("../charts/Sankey.tsx"));

/** The paths visits take after (or before) a page, as a sankey diagram and a list. */
export default function JourneysPage() {
  const { state, go, range, filters, resolved } = useScope();
  const top = useQueryApi({
    ...range,
    filters,
    dimensions: ["page"],
    metrics: ["visitors"],
    limit: 50,
  });
  const page = state.extra.page || String(top.data?.rows[0]?.page ?? "");
  const direction = state.extra.direction === "before" ? "before" : "after";
  const steps = Math.min(5, Math.max(1, Number(state.extra.steps) || 3));
  const journeys = useReport<JourneysResult>(
    "journeys",
    page && !resolved.tooLong ? { ...range, filters, page, direction, steps, limit: 25 } : null,
  );
  return (
    <>
      <Toolbar compare={false} />
      <section className="card">
        <div className="card-head">
          <h1>Journeys</h1>
        </div>
        <JourneyForm
          key={`${page}|${direction}|${steps}`}
          page={page}
          direction={direction}
          steps={steps}
          pages={(top.data?.rows ?? []).map((r) => String(r.page))}
          onApply={(p, d, s) =>
            go({ extra: { ...state.extra, page: p, direction: d, steps: String(s) } })
          }
        />
      </section>
      {resolved.tooLong ? (
        <Notice>{resolved.tooLong}</Notice>
      ) : !page ? (
        top.isPending ? (
          <Loading>Loading…</Loading>
        ) : (
          <Notice>No pageviews in this period, so there are no journeys to show.</Notice>
        )
      ) : (
        <section className="card" aria-labelledby="journeys-title">
          <h2 id="journeys-title">
            {direction === "after" ? "After" : "Before"} {page}
          </h2>
          <QueryState query={journeys}>
            {() => {
              const data = journeys.data;
              if (!data || data.paths.length === 0)
                return (
                  <Empty>
                    No visit {direction === "after" ? "went on from" : "led to"} {page} in this
                    period.
                  </Empty>
                );
              return (
                <>
                  <p className="muted">
                    {formatCount(data.sessions)} visits{" "}
                    {direction === "after" ? "viewed" : "reached"} {page}.
                  </p>
                  <ErrorBoundary
                    fallback={<ErrorNotice message="The diagram could not be loaded." />}
                  >
                    <Suspense fallback={<Loading>Loading the diagram…</Loading>}>
                      <Sankey page={data.page} direction={data.direction} paths={data.paths} />
                    </Suspense>
                  </ErrorBoundary>
                  <table className="details-table">
                    <thead>
                      <tr>
                        <th scope="col">Path</th>
                        <th scope="col" className="num">
                          Visits
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.paths.map((p) => (
                        <tr key={p.pages.join(" → ")} data-testid="journey-path">
                          {/* The API's path holds the page itself, first (after) or last (before). */}
                          <th scope="row">{p.pages.join(" → ")}</th>
                          <td className="num">{formatCount(p.sessions)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              );
            }}
          </QueryState>
        </section>
      )}
    </>
  );
}

function JourneyForm({
  page,
  direction,
  steps,
  pages,
  onApply,
}: {
  page: string;
  direction: "after" | "before";
  steps: number;
  pages: string[];
  onApply: (page: string, direction: "after" | "before", steps: number) => void;
}) {
  const [p, setP] = useState(page);
  const [d, setD] = useState(direction);
  const [s, setS] = useState(steps);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (p.trim()) onApply(p.trim(), d, s);
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Journey">
      <label className="inline-field">
        <select
          value={d}
          onChange={(e) => setD(e.target.value as "after" | "before")}
          aria-label="Direction"
        >
          <option value="after">Paths after</option>
          <option value="before">Paths before</option>
        </select>
      </label>
      <input
        aria-label="Page path"
        list="journey-pages"
        value={p}
        placeholder="/"
        onChange={(e) => setP(e.target.value)}
      />
      <datalist id="journey-pages">
        {pages.map((x) => (
          <option key={x} value={x} />
        ))}
      </datalist>
      <label className="inline-field">
        Steps
        <select value={s} onChange={(e) => setS(Number(e.target.value))}>
          {[1, 2, 3, 4, 5].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button">
        Show
      </button>
    </form>
  );
}
