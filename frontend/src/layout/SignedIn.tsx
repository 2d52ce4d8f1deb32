import { lazy, Suspense, useEffect, useState } from "react";
import { errorMessage } from "../api/client.ts";
import { useMe, useSiteStatus, useSites } from "../api/queries.ts";
import type { Site } from "../api/types.ts";
import { DashboardPage } from "../pages/DashboardPage.tsx";
import { navigate, useLocation } from "../router.ts";
import { SETTINGS_PATH } from "../settings/nav.ts";
import { SiteSetup } from "../sites/SiteSetup.tsx";
import { dashHref, type PageKey } from "../state/dash.ts";
import { ScopeProvider, useDash } from "../state/scope.tsx";
import { ErrorBoundary } from "../ui/ErrorBoundary.tsx";
import { ErrorNotice, Loading } from "../ui/Notice.tsx";
import { AppHeader } from "./AppHeader.tsx";
import { ADD_SITE_PATH, NoSites } from "./NoSites.tsx";
import { rememberedSite, rememberSite } from "./rememberSite.ts";

// Every page but the dashboard loads its code when it is first opened.
const RealtimePage = lazy(() => import("../pages/RealtimePage.tsx"));
const FunnelsPage = lazy(() => import("../pages/FunnelsPage.tsx"));
const RetentionPage = lazy(() => import("../pages/RetentionPage.tsx"));
const JourneysPage = lazy(() => import("../pages/JourneysPage.tsx"));
const ErrorsPage = lazy(() => import("../pages/ErrorsPage.tsx"));
const VitalsPage = lazy(() => import("../pages/VitalsPage.tsx"));
// Custom dashboards: the builder, the grid and every visual come with them.
const BoardsPage = lazy(() => import("../boards/BoardsPage.tsx"));
const BoardPage = lazy(() => import("../boards/BoardPage.tsx"));
const SettingsPage = lazy(() => import("../settings/SettingsPage.tsx"));

const PAGES: Record<Exclude<PageKey, "dashboard">, React.ComponentType> = {
  realtime: RealtimePage,
  funnels: FunnelsPage,
  retention: RetentionPage,
  journeys: JourneysPage,
  errors: ErrorsPage,
  vitals: VitalsPage,
};

/** Signed in: the header, then the chosen site's page (or the way to a first site). */
export function SignedIn() {
  const me = useMe();
  const sites = useSites();
  const { state } = useDash();
  const { pathname } = useLocation();
  const adding = pathname === ADD_SITE_PATH;
  const boards = pathname === "/boards" || state.board !== null;
  const settings = pathname === SETTINGS_PATH || pathname.startsWith(`${SETTINGS_PATH}/`);
  const list = sites.data?.sites;
  const site = list?.find((s) => s.id === state.site) ?? null;

  // "/" and unknown sites go to the last site opened here, else the first one.
  useEffect(() => {
    if (adding || boards || settings || !list?.length || site) return;
    const fallback = list.find((s) => s.id === rememberedSite()) ?? list[0];
    if (fallback) navigate(dashHref({ ...state, site: fallback.id }), { replace: true });
  }, [adding, boards, settings, list, site, state]);

  useEffect(() => {
    if (site) rememberSite(site.id);
  }, [site]);

  let body: React.ReactNode;
  if (sites.isPending) body = <Loading>Loading sites…</Loading>;
  else if (sites.isError)
    body = <ErrorNotice message={errorMessage(sites.error)} onRetry={() => sites.refetch()} />;
  else if (settings)
    body = (
      <ErrorBoundary
        fallback={<ErrorNotice message="This page could not be loaded. Reload to try again." />}
      >
        <Suspense fallback={<Loading>Loading…</Loading>}>
          <SettingsPage />
        </Suspense>
      </ErrorBoundary>
    );
  else if (!list?.length || adding) body = <NoSites user={me.data} first={!list?.length} />;
  else if (boards)
    body = (
      <ErrorBoundary
        fallback={<ErrorNotice message="This page could not be loaded. Reload to try again." />}
      >
        <Suspense fallback={<Loading>Loading…</Loading>}>
          {state.board ? <BoardPage key={state.board} id={state.board} /> : <BoardsPage />}
        </Suspense>
      </ErrorBoundary>
    );
  else if (!site) body = <Loading>Opening the site…</Loading>;
  else body = <SiteView key={site.id} site={site} />;

  return (
    <div className="app">
      <AppHeader user={me.data} sites={list ?? []} site={site} />
      <main className="page">{body}</main>
    </div>
  );
}

function SiteView({ site }: { site: Site }) {
  const { state, go } = useDash();
  const status = useSiteStatus(site.id);
  const data = status.data;
  // Decided once, on the first answer: a site that never received an event shows its setup, which
  // then waits for the first event itself and says so before the user moves on.
  const [setup, setSetup] = useState<boolean | null>(null);
  useEffect(() => {
    if (setup === null && data) setSetup(data.firstEventAt === null && data.events24h === 0);
  }, [setup, data]);
  if (status.isError && setup === null)
    return <ErrorNotice message={errorMessage(status.error)} onRetry={() => status.refetch()} />;
  if (setup === null) return <Loading>Loading {site.name}…</Loading>;
  if (setup || state.extra.setup === "1")
    return (
      <SiteSetup
        site={site}
        onDone={() => {
          setSetup(false);
          go({ extra: {} });
        }}
      />
    );
  const firstDay = data?.firstEventAt ? data.firstEventAt.slice(0, 10) : null;
  const Page = state.page === "dashboard" ? DashboardPage : PAGES[state.page];
  return (
    <ScopeProvider site={site} firstDay={firstDay}>
      <ErrorBoundary
        fallback={<ErrorNotice message="This page could not be loaded. Reload to try again." />}
      >
        <Suspense fallback={<Loading>Loading…</Loading>}>
          <Page />
        </Suspense>
      </ErrorBoundary>
    </ScopeProvider>
  );
}
