import { lazy, Suspense } from "react";
import { errorMessage } from "../api/client.ts";
import { useMe } from "../api/queries.ts";
import { Link, useLocation } from "../router.ts";
import { ErrorBoundary } from "../ui/ErrorBoundary.tsx";
import { ErrorNotice, Loading } from "../ui/Notice.tsx";
import { AccountSettings } from "./AccountSettings.tsx";
import { readSettingsPath, SECTIONS, type SectionKey, settingsHref } from "./nav.ts";

const SitesSettings = lazy(() => import("./SitesSettings.tsx"));
const UsersSettings = lazy(() => import("./UsersSettings.tsx"));
const AuditLog = lazy(() => import("./AuditLog.tsx"));
const TokensPage = lazy(() => import("./TokensPage.tsx"));
const SharesPage = lazy(() => import("./SharesPage.tsx"));

/** The settings: a navigation of the sections this user may use, and the chosen one. */
export default function SettingsPage() {
  const me = useMe();
  const { pathname } = useLocation();
  const { section, id } = readSettingsPath(pathname);

  if (me.isPending) return <Loading>Loading your account…</Loading>;
  if (me.isError)
    return <ErrorNotice message={errorMessage(me.error)} onRetry={() => me.refetch()} />;
  const user = me.data;
  const sections = SECTIONS.filter((s) => s.shows(user));
  const allowed = sections.some((s) => s.key === section);

  const bodies: Record<SectionKey, () => React.ReactNode> = {
    account: () => <AccountSettings user={user} />,
    tokens: () => <TokensPage />,
    shares: () => <SharesPage />,
    sites: () => <SitesSettings me={user} site={id} />,
    users: () => <UsersSettings me={user} />,
    audit: () => <AuditLog />,
  };

  return (
    <div className="settings">
      <nav className="settings-nav" aria-label="Settings">
        <h1 className="settings-title">Settings</h1>
        <ul>
          {sections.map((s) => (
            <li key={s.key}>
              <Link
                to={settingsHref(s.key)}
                className="settings-link"
                aria-current={s.key === section ? "page" : undefined}
              >
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings-body">
        {allowed ? (
          <ErrorBoundary
            fallback={<ErrorNotice message="This page could not be loaded. Reload to try again." />}
          >
            <Suspense fallback={<Loading>Loading…</Loading>}>{bodies[section]()}</Suspense>
          </ErrorBoundary>
        ) : (
          <section className="card empty">
            <h2>Not available to you</h2>
            <p className="muted">
              Your account has no access to this part of the settings. An instance admin can give
              you a role.
            </p>
          </section>
        )}
      </div>
    </div>
  );
}
