import { type FormEvent, useState } from "react";
import { errorMessage } from "../api/client.ts";
import type { Site, User } from "../api/types.ts";
import { formatInstant } from "../lib/format.ts";
import { Empty, ErrorNotice } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import {
  type SiteRole,
  useInvitations,
  useMemberAction,
  useMembers,
  useWithdrawInvitation,
} from "./api.ts";
import { InviteForm } from "./InviteForm.tsx";
import { assignable, ROLE_NOTES } from "./rights.ts";

/** Who has which role on a site: add people with an account, invite others, change, remove. */
export function SiteMembers({ me, site }: { me: User; site: Site }) {
  const members = useMembers(site.id);
  const action = useMemberAction(site.id);
  const giveable = assignable(me, site.id, null);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<SiteRole>("viewer");

  const add = (e: FormEvent) => {
    e.preventDefault();
    action.mutate({ kind: "add", email: email.trim(), role }, { onSuccess: () => setEmail("") });
  };

  return (
    <section className="card settings-card" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      <p className="muted">
        {Object.entries(ROLE_NOTES)
          .map(([r, note]) => `${r[0]?.toUpperCase()}${r.slice(1)}s: ${note}.`)
          .join(" ")}{" "}
        Instance admins may do everything everywhere.
      </p>
      {action.isError && <ErrorNotice message={errorMessage(action.error)} />}
      <QueryState query={members} loadingText="Loading members…">
        {() => {
          const list = members.data?.members ?? [];
          if (!list.length) return <Empty>No one has a role on this site yet.</Empty>;
          return (
            <ul className="settings-list" data-testid="members">
              {list.map((m) => {
                const options = assignable(me, site.id, m.role);
                const self = m.userId === me.id;
                const id = `member-role-${m.userId}`;
                return (
                  <li key={m.userId} className="settings-row" data-testid={`member-${m.email}`}>
                    <div>
                      <span className="settings-row-title">
                        {m.email} {self && <span className="badge">you</span>}{" "}
                        {m.disabled && <span className="badge badge-unresolved">disabled</span>}
                      </span>
                    </div>
                    <div className="row-buttons">
                      <label htmlFor={id} className="visually-hidden">
                        Role of {m.email}
                      </label>
                      <select
                        id={id}
                        value={m.role}
                        disabled={!options.length || action.isPending}
                        onChange={(e) =>
                          action.mutate({
                            kind: "set",
                            userId: m.userId,
                            role: e.target.value as SiteRole,
                          })
                        }
                      >
                        {(options.includes(m.role) ? options : [m.role, ...options]).map((r) => (
                          <option key={r} value={r}>
                            {r}
                          </option>
                        ))}
                      </select>
                      <button
                        type="button"
                        className="button button-secondary button-small"
                        disabled={!options.length || action.isPending}
                        onClick={() => action.mutate({ kind: "remove", userId: m.userId })}
                      >
                        Remove
                      </button>
                    </div>
                  </li>
                );
              })}
            </ul>
          );
        }}
      </QueryState>
      {giveable.length > 0 && (
        <>
          <form className="inline-form" onSubmit={add} aria-labelledby="add-member-title">
            <h3 id="add-member-title" className="visually-hidden">
              Add a member
            </h3>
            <div className="field grow">
              <label htmlFor="member-email">Add someone who has an account</label>
              <input
                id="member-email"
                name="email"
                type="email"
                placeholder="name@example.com"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="member-role">Role</label>
              <select
                id="member-role"
                value={role}
                onChange={(e) => setRole(e.target.value as SiteRole)}
              >
                {giveable.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button align-end" disabled={action.isPending}>
              Add
            </button>
          </form>
          <PendingHere site={site.id} />
          <details className="invite-details">
            <summary>Invite someone without an account</summary>
            <InviteForm me={me} sites={[site]} level="h3" />
          </details>
        </>
      )}
    </section>
  );
}

/** Invitations that give a role on this site, not yet accepted. */
function PendingHere({ site }: { site: string }) {
  const invitations = useInvitations();
  const withdraw = useWithdrawInvitation();
  const here = (invitations.data?.invitations ?? []).filter((i) =>
    i.sites.some((g) => g.site === site),
  );
  if (!here.length) return null;
  return (
    <div className="pending-here">
      <h3>Invited, not yet accepted</h3>
      {withdraw.isError && <ErrorNotice message={errorMessage(withdraw.error)} />}
      <ul className="settings-list" data-testid="site-invitations">
        {here.map((inv) => (
          <li key={inv.id} className="settings-row">
            <div>
              <span className="settings-row-title">{inv.email}</span>
              <span className="muted">
                {inv.sites.find((g) => g.site === site)?.role} · expires{" "}
                {formatInstant(inv.expiresAt)}
              </span>
            </div>
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={withdraw.isPending}
              onClick={() => withdraw.mutate(inv.id)}
            >
              Withdraw
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
