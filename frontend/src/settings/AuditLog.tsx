import { useState } from "react";
import { formatInstant } from "../lib/format.ts";
import { Empty } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import { TableWrap } from "../ui/TableWrap.tsx";
import { type AuditEntry, useAudit } from "./api.ts";

const detailText = (details: AuditEntry["details"]) =>
  Object.entries(details)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(", ") : String(value)}`)
    .join(" · ");

/** Who did what, newest first, a page at a time. */
export default function AuditLog() {
  // The `before` cursor of each page shown, so "Newer" can go back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const before = cursors[cursors.length - 1] ?? null;
  const audit = useAudit(before);
  return (
    <section className="card settings-card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <p className="muted">
        Every change to users, invitations, roles and sites, and security events. It never holds a
        password or a token.
      </p>
      <QueryState query={audit} loadingText="Loading the audit log…">
        {() => {
          const entries = audit.data?.entries ?? [];
          if (!entries.length) return <Empty>Nothing recorded yet.</Empty>;
          return (
            <>
              <TableWrap label="Audit log entries">
                <table className="details-table audit-table" data-testid="audit">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Who</th>
                      <th scope="col">What</th>
                      <th scope="col">Target</th>
                      <th scope="col">Details</th>
                    </tr>
                  </thead>
                  <tbody>
                    {entries.map((e) => (
                      <tr key={e.id} data-action={e.action}>
                        <td className="nowrap">{formatInstant(e.at)}</td>
                        <td>{e.actor?.email ?? "Sightline"}</td>
                        <th scope="row">
                          <code className="audit-action">{e.action}</code>
                        </th>
                        <td>
                          {e.target.label || e.target.id}
                          {e.site && e.site !== e.target.id && (
                            <span className="muted"> on {e.site}</span>
                          )}
                        </td>
                        <td className="audit-details">{detailText(e.details)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
              <div className="pager">
                <span className="muted">Newest first</span>
                <button
                  type="button"
                  className="button button-secondary button-small"
                  disabled={cursors.length < 2}
                  onClick={() => setCursors((c) => c.slice(0, -1))}
                >
                  Newer
                </button>
                <button
                  type="button"
                  className="button button-secondary button-small"
                  disabled={!audit.data?.next}
                  onClick={() => {
                    const next = audit.data?.next;
                    if (next) setCursors((c) => [...c, next]);
                  }}
                >
                  Older
                </button>
              </div>
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
