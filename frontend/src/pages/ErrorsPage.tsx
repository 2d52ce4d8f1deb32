import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, errorMessage } from "../api/client.ts";
import { useReport } from "../api/reports.ts";
import type { ErrorGroup, ErrorsResult, TriageState } from "../api/types.ts";
import { formatCount } from "../lib/format.ts";
import { Link } from "../router.ts";
import { useScope } from "../state/scope.tsx";
import { Empty, ErrorNotice, Notice } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import { Toolbar } from "./Toolbar.tsx";

const STATES: { key: TriageState | "all"; label: string }[] = [
  { key: "unresolved", label: "Unresolved" },
  { key: "resolved", label: "Resolved" },
  { key: "ignored", label: "Ignored" },
  { key: "all", label: "All" },
];

/** JavaScript errors grouped by stack fingerprint, with their triage state. */
export default function ErrorsPage() {
  const { state, href, range, resolved } = useScope();
  const chosen = STATES.find((s) => s.key === state.extra.state)?.key ?? "unresolved";
  // Errors are not visits: session filters (entry and exit page) do not apply to them.
  const filters = state.filters
    .filter((f) => f.dimension !== "entry_page" && f.dimension !== "exit_page")
    .map((f) => ({ dimension: f.dimension, op: f.op, value: f.value }));
  const errors = useReport<ErrorsResult>(
    "errors",
    resolved.tooLong
      ? null
      : { ...range, filters, ...(chosen === "all" ? {} : { state: chosen }), limit: 200 },
  );
  return (
    <>
      <Toolbar compare={false} />
      <section className="card" aria-labelledby="errors-title">
        <div className="card-head">
          <h1 id="errors-title">Errors</h1>
          <div className="tabs" role="tablist" aria-label="Triage state">
            {STATES.map((s) => (
              <Link
                key={s.key}
                role="tab"
                className="tab"
                aria-selected={s.key === chosen}
                to={href({ extra: { ...state.extra, state: s.key } })}
              >
                {s.label}
              </Link>
            ))}
          </div>
        </div>
        {resolved.tooLong ? (
          <Notice>{resolved.tooLong}</Notice>
        ) : (
          <QueryState query={errors}>
            {() => {
              const list = errors.data?.errors ?? [];
              if (!list.length)
                return (
                  <Empty>
                    {chosen === "unresolved"
                      ? 'No unresolved errors in this period. Errors are collected by the errors plugin: data-plugins="errors" on the snippet.'
                      : `No ${chosen === "all" ? "" : `${chosen} `}errors in this period.`}
                  </Empty>
                );
              return (
                <div className="table-wrap">
                  <table className="details-table errors-table">
                    <thead>
                      <tr>
                        <th scope="col">Error</th>
                        <th scope="col" className="num">
                          Times
                        </th>
                        <th scope="col" className="num">
                          Visitors
                        </th>
                        <th scope="col">Last seen</th>
                        <th scope="col">State</th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((e) => (
                        <ErrorRow key={`${e.site}|${e.fingerprint}`} error={e} />
                      ))}
                    </tbody>
                  </table>
                </div>
              );
            }}
          </QueryState>
        )}
      </section>
    </>
  );
}

function ErrorRow({ error }: { error: ErrorGroup }) {
  const { tz } = useScope();
  const client = useQueryClient();
  const triage = useMutation({
    mutationFn: (next: TriageState) =>
      apiFetch(
        `/api/v1/errors/${encodeURIComponent(error.site)}/${encodeURIComponent(error.fingerprint)}`,
        { method: "PUT", body: { state: next } },
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ["report", "errors"] }),
  });
  const actions: { state: TriageState; label: string }[] =
    error.state === "unresolved"
      ? [
          { state: "resolved", label: "Resolve" },
          { state: "ignored", label: "Ignore" },
        ]
      : [{ state: "unresolved", label: "Reopen" }];
  return (
    <tr data-testid="error-row">
      <th scope="row">
        <span className="error-type">{error.type || "Error"}</span> {error.message}
        <span className="muted error-source">{error.source}</span>
        {triage.isError && <ErrorNotice message={errorMessage(triage.error)} />}
      </th>
      <td className="num">{formatCount(error.occurrences)}</td>
      <td className="num">{formatCount(error.visitors)}</td>
      <td>
        {new Date(error.last_seen).toLocaleString("en-GB", {
          timeZone: tz,
          dateStyle: "medium",
          timeStyle: "short",
        })}
      </td>
      <td>
        <span className={`badge badge-${error.state}`}>{error.state}</span>
        <span className="row-actions">
          {actions.map((a) => (
            <button
              key={a.state}
              type="button"
              className="button button-secondary button-small"
              disabled={triage.isPending}
              onClick={() => triage.mutate(a.state)}
            >
              {a.label}
            </button>
          ))}
        </span>
      </td>
    </tr>
  );
}
