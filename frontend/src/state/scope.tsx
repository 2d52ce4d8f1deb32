import { createContext, type ReactNode, useCallback, useContext, useMemo } from "react";
import type { ApiFilter, Site } from "../api/types.ts";
import { navigate, useLocation } from "../router.ts";
import { type DashState, dashHref, readDash } from "./dash.ts";
import { apiFilters } from "./filters.ts";
import { type Resolved, resolvePeriod } from "./periods.ts";

/** The URL's view state, and ways to change it (each change is a history entry). */
export function useDash() {
  const { pathname, search } = useLocation();
  const state = useMemo(() => readDash(pathname, search), [pathname, search]);
  const href = useCallback(
    (patch: Partial<DashState>) => dashHref({ ...state, ...patch }),
    [state],
  );
  const go = useCallback(
    (patch: Partial<DashState>, options?: { replace?: boolean }) =>
      navigate(dashHref({ ...state, ...patch }), options),
    [state],
  );
  return { state, href, go };
}

export interface Scope {
  site: Site;
  tz: string;
  state: DashState;
  resolved: Resolved;
  /** The fields every report request starts with. */
  range: { sites: string[]; from: string; to: string; tz: string };
  filters: ApiFilter[];
  href: (patch: Partial<DashState>) => string;
  go: (patch: Partial<DashState>, options?: { replace?: boolean }) => void;
}

const ScopeContext = createContext<Scope | null>(null);

/** One site's view: its zone, the resolved period and the filters, for every panel below. */
export function ScopeProvider({
  site,
  firstDay,
  sites,
  children,
}: {
  site: Site;
  firstDay: string | null;
  /** Every site of the view (a custom dashboard's); `site` gives the zone. Default: `site` alone. */
  sites?: string[];
  children: ReactNode;
}) {
  const { state, href, go } = useDash();
  const tz = site.timezone || "UTC";
  const scope = useMemo<Scope>(() => {
    const resolved = resolvePeriod(state, tz, Date.now(), firstDay);
    return {
      site,
      tz,
      state,
      resolved,
      range: { sites: sites ?? [site.id], from: resolved.from, to: resolved.to, tz },
      filters: apiFilters(state.filters),
      href,
      go,
    };
  }, [site, sites, tz, state, firstDay, href, go]);
  return <ScopeContext.Provider value={scope}>{children}</ScopeContext.Provider>;
}

export function useScope(): Scope {
  const scope = useContext(ScopeContext);
  if (!scope) throw new Error("useScope outside a ScopeProvider");
  return scope;
}
