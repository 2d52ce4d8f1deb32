import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { apiFetch, errorMessage } from "../api/client.ts";
import { setToken } from "../api/token.ts";
import type { AuthResponse, ResultOf } from "../api/types.ts";
import { formatInstant } from "../lib/format.ts";
import { navigate } from "../router.ts";
import { ErrorNotice, Loading } from "../ui/Notice.tsx";
import type { LinkKind } from "./linkToken.ts";
import { readLinkToken } from "./linkToken.ts";
import {
  localPasswordProblem,
  NewPasswordFields,
  passwordErrorMessage,
} from "./NewPasswordFields.tsx";

type InvitationLookup = ResultOf<"/api/v1/auth/invitations/lookup">;

/**
 * Opened from a one-time link, signed in or not: accept an invitation (see what it offers, choose
 * a password) or set a new password with a reset link. Either signs in on success.
 */
export function LinkPage({ kind }: { kind: LinkKind }) {
  const [token] = useState(() => readLinkToken(window.location.hash));
  return (
    <main className="auth-layout">
      <div className="auth-card">
        <h1 className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Sightline
        </h1>
        {!token ? (
          <LinkProblem message="This link is incomplete: copy the whole link, including the part after “#”, into the address bar." />
        ) : kind === "invitation" ? (
          <Invitation token={token} />
        ) : (
          <PasswordForm
            kind="reset"
            token={token}
            title="Choose a new password"
            intro="Your other sessions end when the new password is set."
          />
        )}
      </div>
    </main>
  );
}

function LinkProblem({ message }: { message: string }) {
  return (
    <div className="form">
      <ErrorNotice message={message} />
      <a href="/" className="button button-secondary">
        Go to sign-in
      </a>
    </div>
  );
}

function Invitation({ token }: { token: string }) {
  const lookup = useQuery({
    queryKey: ["invitation", token],
    queryFn: ({ signal }) =>
      apiFetch<InvitationLookup>("/api/v1/auth/invitations/lookup", {
        method: "POST",
        body: { token },
        auth: false,
        signal,
      }),
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (lookup.isPending) return <Loading>Checking the invitation…</Loading>;
  if (lookup.isError)
    return (
      <LinkProblem
        message={`${errorMessage(lookup.error)} Ask whoever invited you for a new link.`}
      />
    );
  const invite = lookup.data;
  const offer = invite.instanceAdmin
    ? "as an instance admin, with access to every site"
    : invite.sites.map((s) => `${s.role} of ${s.site}`).join(", ");
  return (
    <PasswordForm
      kind="invitation"
      token={token}
      title="Accept the invitation"
      intro={`You are invited to Sightline ${invite.instanceAdmin ? offer : `as ${offer}`}. The link works once, until ${formatInstant(invite.expiresAt)}.`}
      email={invite.email}
    />
  );
}

function PasswordForm({
  kind,
  token,
  title,
  intro,
  email,
}: {
  kind: LinkKind;
  token: string;
  title: string;
  intro: string;
  email?: string;
}) {
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const submit = useMutation({
    mutationFn: () =>
      apiFetch<AuthResponse>(
        kind === "invitation" ? "/api/v1/auth/invitations/accept" : "/api/v1/auth/password-reset",
        { method: "POST", body: { token, password }, auth: false },
      ),
    onSuccess: (data) => {
      setToken(data.token);
      // The link is spent: leave its page, and its token, behind.
      navigate("/", { replace: true });
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const local = localPasswordProblem(password, confirm);
    setProblem(local);
    if (!local) submit.mutate();
  };
  const message = problem ?? (submit.isError ? passwordErrorMessage(submit.error) : null);
  return (
    <form className="form" onSubmit={onSubmit} aria-labelledby="link-title">
      <h2 id="link-title">{title}</h2>
      <p className="hint">{intro}</p>
      {message && <ErrorNotice message={message} />}
      {email && (
        <div className="field">
          <label htmlFor="link-email">Email</label>
          <input
            id="link-email"
            name="email"
            type="email"
            autoComplete="username"
            value={email}
            readOnly
          />
        </div>
      )}
      <NewPasswordFields
        idPrefix="link"
        password={password}
        confirm={confirm}
        onPassword={setPassword}
        onConfirm={setConfirm}
        label="Choose a password"
      />
      <button type="submit" className="button" disabled={submit.isPending}>
        {submit.isPending
          ? "Saving…"
          : kind === "invitation"
            ? "Create my account and sign in"
            : "Set the password and sign in"}
      </button>
    </form>
  );
}
