import { type FormEvent, useState } from "react";
import { errorMessage } from "../api/client.ts";
import { useAuthMethods, useLogin } from "../api/queries.ts";
import { ErrorNotice } from "../ui/Notice.tsx";

export function LoginForm() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const login = useLogin();
  // Without an answer (an older server, a blip) the page offers passwords only.
  const provider = useAuthMethods().data?.oidc ?? null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    login.mutate({ email: email.trim(), password });
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-labelledby="login-title">
      <h2 id="login-title">Sign in</h2>
      {login.isError && <ErrorNotice message={errorMessage(login.error)} />}
      <div className="field">
        <label htmlFor="login-email">Email</label>
        <input
          id="login-email"
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <button type="submit" className="button" disabled={login.isPending}>
        {login.isPending ? "Signing in…" : "Sign in"}
      </button>
      {provider && (
        <>
          <p className="auth-or">or</p>
          {/* A navigation, not a fetch: the server sends the browser on to the provider. */}
          <a className="button button-secondary" href={provider.startUrl}>
            Sign in with {provider.label}
          </a>
        </>
      )}
    </form>
  );
}
