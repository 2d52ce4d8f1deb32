import { useState } from "react";
import { errorMessage } from "../api/client.ts";
import { useSites } from "../api/queries.ts";
import type { User } from "../api/types.ts";
import { formatInstant } from "../lib/format.ts";
import { Dialog } from "../ui/Dialog.tsx";
import { Empty, ErrorNotice } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import {
  type AdminUser,
  type Invitation,
  type ResetLink,
  useInvitations,
  useUserAction,
  useUsers,
  useWithdrawInvitation,
} from "./api.ts";
import { InviteForm } from "./InviteForm.tsx";
import { OneTimeLink } from "./OneTimeLink.tsx";

/** Instance admins: invite people, see pending invitations, and manage every account. */
export default function UsersSettings({ me }: { me: User }) {
  const sites = useSites();
  return (
    <>
      <section className="card settings-card">
        <QueryState query={sites} loadingText="Loading sites…">
          {() => <InviteForm me={me} sites={sites.data?.sites ?? []} />}
        </QueryState>
      </section>
      <Invitations />
      <Users me={me} />
    </>
  );
}

const grantsText = (grants: readonly { site: string; role: string }[]) =>
  grants.map((g) => `${g.role} of ${g.site}`).join(", ");

function Invitations() {
  const invitations = useInvitations();
  const withdraw = useWithdrawInvitation();
  return (
    <section className="card settings-card" aria-labelledby="invitations-title">
      <h2 id="invitations-title">Pending invitations</h2>
      {withdraw.isError && <ErrorNotice message={errorMessage(withdraw.error)} />}
      <QueryState query={invitations} loadingText="Loading invitations…">
        {() => {
          const list = invitations.data?.invitations ?? [];
          if (!list.length)
            return <Empty>No pending invitations. Invite someone above to add a teammate.</Empty>;
          return (
            <ul className="settings-list" data-testid="invitations">
              {list.map((inv: Invitation) => (
                <li key={inv.id} className="settings-row">
                  <div>
                    <span className="settings-row-title">{inv.email}</span>
                    <span className="muted">
                      {inv.instanceAdmin ? "Instance admin" : grantsText(inv.sites)} · invited by{" "}
                      {inv.createdBy} · expires {formatInstant(inv.expiresAt)}
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
          );
        }}
      </QueryState>
    </section>
  );
}

function Users({ me }: { me: User }) {
  const users = useUsers();
  const action = useUserAction();
  const [reset, setReset] = useState<{ email: string; link: ResetLink } | null>(null);
  const [deleting, setDeleting] = useState<AdminUser | null>(null);

  return (
    <section className="card settings-card" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      {action.isError && <ErrorNotice message={errorMessage(action.error)} />}
      <QueryState query={users} loadingText="Loading users…">
        {() => (
          <ul className="settings-list" data-testid="users">
            {(users.data?.users ?? []).map((u) => {
              const self = u.id === me.id;
              const roles = Object.entries(u.sites).map(([site, role]) => ({ site, role }));
              return (
                <li key={u.id} className="settings-row" data-testid={`user-${u.email}`}>
                  <div>
                    <span className="settings-row-title">
                      {u.email} {self && <span className="badge">you</span>}{" "}
                      {u.instanceAdmin && (
                        <span className="badge badge-accent">instance admin</span>
                      )}{" "}
                      {u.disabled && <span className="badge badge-unresolved">disabled</span>}
                    </span>
                    <span className="muted">
                      {roles.length
                        ? grantsText(roles)
                        : u.instanceAdmin
                          ? "Every site"
                          : "No site"}{" "}
                      · since {formatInstant(u.createdAt)}
                    </span>
                  </div>
                  <div className="row-buttons">
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      disabled={action.isPending}
                      onClick={() =>
                        action.mutate(
                          { kind: "reset", id: u.id },
                          { onSuccess: (link) => link && setReset({ email: u.email, link }) },
                        )
                      }
                    >
                      Reset password
                    </button>
                    {!self && (
                      <>
                        <button
                          type="button"
                          className="button button-secondary button-small"
                          disabled={action.isPending}
                          onClick={() =>
                            action.mutate({
                              kind: "update",
                              id: u.id,
                              body: { instanceAdmin: !u.instanceAdmin },
                            })
                          }
                        >
                          {u.instanceAdmin ? "Remove instance admin" : "Make instance admin"}
                        </button>
                        <button
                          type="button"
                          className="button button-secondary button-small"
                          disabled={action.isPending}
                          onClick={() =>
                            action.mutate({
                              kind: "update",
                              id: u.id,
                              body: { disabled: !u.disabled },
                            })
                          }
                        >
                          {u.disabled ? "Enable" : "Disable"}
                        </button>
                        <button
                          type="button"
                          className="button button-secondary button-small"
                          disabled={action.isPending}
                          title="Ends every session of this user: they sign in again"
                          onClick={() => action.mutate({ kind: "endSessions", id: u.id })}
                        >
                          Sign out everywhere
                        </button>
                        <button
                          type="button"
                          className="button button-danger button-small"
                          disabled={action.isPending}
                          onClick={() => setDeleting(u)}
                        >
                          Delete
                        </button>
                      </>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </QueryState>
      {reset && (
        <Dialog title={`Password reset link for ${reset.email}`} onClose={() => setReset(null)}>
          <OneTimeLink
            label="Reset link."
            url={reset.link.url}
            expiresAt={reset.link.expiresAt}
            onDone={() => setReset(null)}
            testId="reset-url"
          />
        </Dialog>
      )}
      {deleting && (
        <Dialog title={`Delete ${deleting.email}?`} onClose={() => setDeleting(null)}>
          <div className="form">
            <p>
              The account, its roles on every site, its sessions and pending reset links are
              deleted. This cannot be undone; to stop access for a while, disable the account
              instead.
            </p>
            <div className="form-actions">
              <button
                type="button"
                className="button button-secondary"
                onClick={() => setDeleting(null)}
              >
                Cancel
              </button>
              <button
                type="button"
                className="button button-danger"
                disabled={action.isPending}
                onClick={() =>
                  action.mutate(
                    { kind: "delete", id: deleting.id },
                    { onSettled: () => setDeleting(null) },
                  )
                }
              >
                Delete the user
              </button>
            </div>
          </div>
        </Dialog>
      )}
    </section>
  );
}
