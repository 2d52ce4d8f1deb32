import { type FormEvent, useState } from "react";
import { errorMessage } from "../api/client.ts";
import type { User } from "../api/types.ts";
import {
  localPasswordProblem,
  NewPasswordFields,
  passwordErrorMessage,
} from "../auth/NewPasswordFields.tsx";
import { formatInstant } from "../lib/format.ts";
import { navigate, useLocation } from "../router.ts";
import { Empty, ErrorNotice, Notice } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import { useChangePassword, useRevokeSession, useSessions } from "./api.ts";
import { settingsHref } from "./nav.ts";
import { ROLE_NOTES } from "./rights.ts";

/** Your own account: who you are, your password, and where you are signed in. */
export function AccountSettings({ user }: { user: User }) {
  const roles = Object.entries(user.sites);
  return (
    <>
      <section className="card settings-card" aria-labelledby="account-title">
        <h2 id="account-title">Your account</h2>
        <dl className="facts">
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Access</dt>
          <dd>
            {user.instanceAdmin
              ? "Instance admin: every site, users and the audit log."
              : roles.length
                ? roles.map(([site, role]) => (
                    <span key={site} className="role-line">
                      <strong>{role}</strong> of {site}{" "}
                      <span className="muted">({ROLE_NOTES[role]})</span>
                    </span>
                  ))
                : "No site yet: ask an admin for a role."}
          </dd>
        </dl>
      </section>
      <PasswordForm />
      <Sessions />
    </>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  // A new token starts a clean cache (App.tsx), which remounts this page: the address keeps the
  // news that the password changed.
  const change = useChangePassword(() => {
    setCurrent("");
    setPassword("");
    setConfirm("");
    navigate(`${settingsHref("account")}?changed=password`, { replace: true });
  });
  const changed = new URLSearchParams(useLocation().search).get("changed") === "password";

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local = localPasswordProblem(password, confirm);
    setProblem(local);
    if (local) return;
    change.mutate({ currentPassword: current, newPassword: password });
  };
  const message = problem ?? (change.isError ? passwordErrorMessage(change.error) : null);

  return (
    <section className="card settings-card" aria-labelledby="password-title">
      <h2 id="password-title">Change your password</h2>
      <form className="form settings-form" onSubmit={submit}>
        {message && <ErrorNotice message={message} />}
        {changed && !message && !change.isPending && (
          <Notice>
            <span data-testid="password-changed">
              Password changed. Your other sessions were signed out; this one goes on.
            </span>
          </Notice>
        )}
        <div className="field">
          <label htmlFor="pw-current">Current password</label>
          <input
            id="pw-current"
            name="current-password"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </div>
        <NewPasswordFields
          idPrefix="pw"
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
        />
        <div className="form-actions form-actions-start">
          <button type="submit" className="button" disabled={change.isPending}>
            {change.isPending ? "Changing…" : "Change password"}
          </button>
        </div>
      </form>
    </section>
  );
}

function Sessions() {
  const sessions = useSessions();
  const revoke = useRevokeSession();
  return (
    <section className="card settings-card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you are signed in</h2>
      <p className="muted">
        Each sign-in on a browser or device is a session. Sign one out if you no longer use it or do
        not recognise it.
      </p>
      {revoke.isError && <ErrorNotice message={errorMessage(revoke.error)} />}
      <QueryState query={sessions} loadingText="Loading sessions…">
        {() =>
          sessions.data?.sessions.length ? (
            <ul className="settings-list" data-testid="sessions">
              {sessions.data.sessions.map((s) => (
                <li key={s.id} className="settings-row">
                  <div>
                    <span className="settings-row-title">
                      {s.userAgent || "Unknown browser"}{" "}
                      {s.current && <span className="badge badge-current">this browser</span>}
                    </span>
                    <span className="muted">
                      Signed in {formatInstant(s.createdAt)} · last active{" "}
                      {formatInstant(s.lastUsedAt)} · until {formatInstant(s.expiresAt)}
                    </span>
                  </div>
                  {!s.current && (
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      disabled={revoke.isPending}
                      onClick={() => revoke.mutate(s.id)}
                    >
                      Sign out
                    </button>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <Empty>No active sessions.</Empty>
          )
        }
      </QueryState>
    </section>
  );
}
