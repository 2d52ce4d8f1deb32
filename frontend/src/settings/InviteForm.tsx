import { type FormEvent, useState } from "react";
import { errorMessage } from "../api/client.ts";
import type { Site, User } from "../api/types.ts";
import { ErrorNotice } from "../ui/Notice.tsx";
import { type InvitationCreated, type SiteRole, useInvite } from "./api.ts";
import { OneTimeLink } from "./OneTimeLink.tsx";
import { assignable } from "./rights.ts";

/**
 * Invite someone by email with a role per site (and, for instance admins, as an instance admin);
 * answers the one-time link to hand over.
 */
export function InviteForm({
  me,
  sites,
  level = "h2",
}: {
  me: User;
  sites: readonly Site[];
  /** The title's heading level: h3 inside another section. */
  level?: "h2" | "h3";
}) {
  const Title = level;
  const [email, setEmail] = useState("");
  const [instanceAdmin, setInstanceAdmin] = useState(false);
  const [roles, setRoles] = useState<Record<string, SiteRole | "">>(() =>
    sites.length === 1 && sites[0] ? { [sites[0].id]: "viewer" } : {},
  );
  const [problem, setProblem] = useState<string | null>(null);
  const [created, setCreated] = useState<InvitationCreated | null>(null);
  const invite = useInvite();

  const grants = Object.entries(roles).flatMap(([site, role]) => (role ? [{ site, role }] : []));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!grants.length && !instanceAdmin) {
      setProblem("Give the invitee a role on at least one site.");
      return;
    }
    setProblem(null);
    invite.mutate(
      { email: email.trim(), instanceAdmin, sites: grants },
      {
        onSuccess: (result) => {
          setCreated(result);
          setEmail("");
        },
      },
    );
  };
  const message = problem ?? (invite.isError ? errorMessage(invite.error) : null);

  return (
    <form className="form settings-form" onSubmit={submit} aria-labelledby="invite-title">
      <Title id="invite-title">Invite someone</Title>
      {created && (
        <OneTimeLink
          label={`Invitation link for ${created.email}.`}
          url={created.url}
          expiresAt={created.expiresAt}
          onDone={() => setCreated(null)}
          testId="invitation-url"
        />
      )}
      {message && <ErrorNotice message={message} />}
      <div className="field">
        <label htmlFor="invite-email">Email</label>
        <input
          id="invite-email"
          name="email"
          type="email"
          autoComplete="off"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      {me.instanceAdmin && (
        <label className="check-field">
          <input
            type="checkbox"
            name="instance-admin"
            checked={instanceAdmin}
            onChange={(e) => setInstanceAdmin(e.target.checked)}
          />
          <span>
            Instance admin <span className="muted">(every site, users and the audit log)</span>
          </span>
        </label>
      )}
      {!instanceAdmin && sites.length > 0 && (
        <fieldset className="role-grid">
          <legend>Role on each site</legend>
          {sites.map((site) => {
            const options = assignable(me, site.id, null);
            const id = `invite-role-${site.id}`;
            return (
              <div key={site.id} className="role-row">
                <label htmlFor={id}>{site.name}</label>
                <select
                  id={id}
                  value={roles[site.id] ?? ""}
                  disabled={!options.length}
                  onChange={(e) =>
                    setRoles((r) => ({ ...r, [site.id]: e.target.value as SiteRole | "" }))
                  }
                >
                  <option value="">No access</option>
                  {options.map((role) => (
                    <option key={role} value={role}>
                      {role}
                    </option>
                  ))}
                </select>
              </div>
            );
          })}
        </fieldset>
      )}
      <div className="form-actions form-actions-start">
        <button type="submit" className="button" disabled={invite.isPending}>
          {invite.isPending ? "Creating the link…" : "Create invitation link"}
        </button>
      </div>
    </form>
  );
}
