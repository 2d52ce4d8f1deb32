import { type FormEvent, useState } from "react";
import { errorMessage } from "../api/client.ts";
import { useSetup } from "../api/queries.ts";
import { ErrorNotice } from "../ui/Notice.tsx";

// The server enforces the same minimum; checking here saves a round trip.
export const MIN_PASSWORD_LENGTH = 12;

export function SetupForm({ initialToken }: { initialToken: string }) {
  const [token, setToken] = useState(initialToken);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const setup = useSetup();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (password.length < MIN_PASSWORD_LENGTH) {
      setLocalError(`The password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
      return;
    }
    if (password !== confirm) {
      setLocalError("The passwords do not match.");
      return;
    }
    setLocalError(null);
    setup.mutate({ token: token.trim(), email: email.trim(), password });
  }

  const message = localError ?? (setup.isError ? errorMessage(setup.error) : null);

  return (
    <form className="form" onSubmit={onSubmit} aria-labelledby="setup-title">
      <h2 id="setup-title">Create the first admin</h2>
      <p className="hint">
        Sightline has no users yet. The setup token is printed in the server's console at its first
        start.
      </p>
      {message && <ErrorNotice message={message} />}
      <div className="field">
        <label htmlFor="setup-token">Setup token</label>
        <input
          id="setup-token"
          name="token"
          type="text"
          autoComplete="off"
          spellCheck={false}
          required
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="setup-email">Email</label>
        <input
          id="setup-email"
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="setup-password">Password</label>
        <input
          id="setup-password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          aria-describedby="setup-password-hint"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <span id="setup-password-hint" className="hint">
          At least {MIN_PASSWORD_LENGTH} characters.
        </span>
      </div>
      <div className="field">
        <label htmlFor="setup-confirm">Confirm password</label>
        <input
          id="setup-confirm"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
        />
      </div>
      <button type="submit" className="button" disabled={setup.isPending}>
        {setup.isPending ? "Creating…" : "Create admin and sign in"}
      </button>
    </form>
  );
}
