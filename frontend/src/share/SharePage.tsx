import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, lazy, Suspense, useCallback, useEffect, useState } from "react";
import { ApiError, apiFetch, errorMessage } from "../api/client.ts";
import { setShareAccess } from "../api/share.ts";
import type { OpenedShare, Site } from "../api/types.ts";
import { DashboardPage } from "../pages/DashboardPage.tsx";
import { ScopeProvider, useDash } from "../state/scope.tsx";
import { ErrorBoundary } from "../ui/ErrorBoundary.tsx";
import { ErrorNotice, Loading } from "../ui/Notice.tsx";

const SharedBoard = lazy(() => import("./SharedBoard.tsx"));

type Opened = OpenedShare;

/** What a shared view needs of a site: its id, name and zone; the rest is never shown. */
export function sharedSite(site: { id: string; name: string; timezone: string }): Site {
  return {
    ...site,
    domains: [],
    retention: { rawMonths: 13, rollupMonths: 60 },
    identity: "cookieless",
    features: [],
  };
}

/**
 * `/share/<token>`: a share link, without signing in. Opens the link (with its password when it
 * has one), then shows the site's dashboard or the custom dashboard read-only; every call goes to
 * the link's own routes with its read-only token (api/share.ts).
 */
export function SharePage() {
  const { state } = useDash();
  const token = state.share ?? "";
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState<Opened | null>(null);
  const [needsPassword, setNeedsPassword] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const open = useCallback(
    async (password?: string) => {
      setBusy(true);
      setProblem(null);
      try {
        const answer = await apiFetch<Opened>("/api/v1/shared/open", {
          method: "POST",
          auth: false,
          body: { token, ...(password ? { password } : {}) },
        });
        setShareAccess(answer.token);
        queryClient.removeQueries();
        setOpened(answer);
        setNeedsPassword(false);
      } catch (error) {
        if (error instanceof ApiError && error.code === "SHARE_PASSWORD_REQUIRED") {
          setNeedsPassword(true);
        } else {
          setProblem(errorMessage(error));
        }
      } finally {
        setBusy(false);
      }
    },
    [token, queryClient],
  );

  useEffect(() => {
    void open();
    return () => setShareAccess(null);
  }, [open]);

  let body: React.ReactNode;
  if (needsPassword) body = <PasswordForm busy={busy} problem={problem} onSubmit={open} />;
  else if (problem) body = <ErrorNotice message={problem} />;
  else if (!opened) body = <Loading>Opening the shared dashboard…</Loading>;
  else if (opened.site)
    body = (
      <ScopeProvider site={sharedSite(opened.site)} firstDay={null}>
        <DashboardPage />
      </ScopeProvider>
    );
  else if (opened.dashboard)
    body = (
      <Suspense fallback={<Loading>Loading…</Loading>}>
        <SharedBoard board={opened.dashboard} />
      </Suspense>
    );

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">{opened?.name || "Sightline"}</span>
        </span>
        <span className="topbar-spacer" />
        <span className="muted" data-testid="shared-badge">
          Shared, read-only
        </span>
      </header>
      <main className="page">
        <ErrorBoundary
          fallback={<ErrorNotice message="This page could not be loaded. Reload to try again." />}
        >
          {body}
        </ErrorBoundary>
      </main>
    </div>
  );
}

function PasswordForm({
  busy,
  problem,
  onSubmit,
}: {
  busy: boolean;
  problem: string | null;
  onSubmit: (password: string) => void;
}) {
  const [password, setPassword] = useState("");
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit(password);
  };
  return (
    <form className="form" onSubmit={submit} aria-labelledby="share-password-title">
      <h2 id="share-password-title">This dashboard needs a password</h2>
      {problem && <ErrorNotice message={problem} />}
      <div className="field">
        <label htmlFor="share-password">Password</label>
        <input
          id="share-password"
          type="password"
          autoComplete="off"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <button type="submit" className="button" disabled={busy}>
        {busy ? "Opening…" : "Open"}
      </button>
    </form>
  );
}
