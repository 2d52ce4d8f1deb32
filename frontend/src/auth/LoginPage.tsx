import { type ReactNode, useEffect, useState } from "react";
import { errorMessage, refreshSession } from "../api/client.ts";
import { useAuthStatus } from "../api/queries.ts";
import { ErrorNotice, Loading } from "../ui/Notice.tsx";
import { LoginForm } from "./LoginForm.tsx";
import { SetupForm } from "./SetupForm.tsx";
import { readSetupToken, removeSetupParam } from "./setupParam.ts";
import { cameFromProvider, removeSigninParam } from "./signinParam.ts";

/** The signed-out screen: the first-admin form until an admin exists, the sign-in form after. */
export function LoginPage() {
  const status = useAuthStatus();
  const [setupToken] = useState(() => readSetupToken(window.location.search));
  const setupRequired = status.data?.setupRequired;
  // Back from the OpenID provider: the refresh cookie it left becomes an access token, which
  // signs in (App shows the dashboard once the token is stored).
  const [fromProvider] = useState(() => cameFromProvider(window.location.search));
  const [providerFailed, setProviderFailed] = useState(false);

  useEffect(() => {
    if (!fromProvider) return;
    removeSigninParam();
    void refreshSession("").then((ok) => setProviderFailed(!ok));
  }, [fromProvider]);

  // A setup link opened after setup is done: the token is spent, so drop it from the URL.
  useEffect(() => {
    if (setupRequired === false) removeSetupParam();
  }, [setupRequired]);

  let body: ReactNode;
  if (status.isPending) body = <Loading>Loading…</Loading>;
  else if (status.isError)
    body = <ErrorNotice message={errorMessage(status.error)} onRetry={() => status.refetch()} />;
  else if (status.data.setupRequired) body = <SetupForm initialToken={setupToken} />;
  else
    body = (
      <>
        {providerFailed && (
          <ErrorNotice message="Signing in with the provider did not complete: try again." />
        )}
        <LoginForm />
      </>
    );

  return (
    <main className="auth-layout">
      <div className="auth-card">
        <h1 className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Sightline
        </h1>
        {body}
      </div>
    </main>
  );
}
