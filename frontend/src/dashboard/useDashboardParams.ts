import { useCallback, useEffect, useState } from "react";
import { type DashboardParams, readParams, writeParams } from "./params.ts";

const SITE_KEY = "sightline.site";

/** The dashboard selection, kept in the URL query; the last site picked is also kept in localStorage. */
export function useDashboardParams(): {
  params: DashboardParams;
  rememberedSite: string | null;
  update: (patch: Partial<DashboardParams>) => void;
} {
  const [params, setParams] = useState(() => readParams(window.location.search));
  const [rememberedSite] = useState(readRememberedSite);

  const update = useCallback((patch: Partial<DashboardParams>) => {
    setParams((prev) => ({ ...prev, ...patch }));
    if (patch.site) rememberSite(patch.site);
  }, []);

  // replaceState, not pushState: changing a filter should not fill the Back button's history.
  useEffect(() => {
    const { pathname, search, hash } = window.location;
    const next = writeParams(search, params);
    if (next !== search)
      window.history.replaceState(window.history.state, "", `${pathname}${next}${hash}`);
  }, [params]);

  return { params, rememberedSite, update };
}

function readRememberedSite(): string | null {
  try {
    return window.localStorage.getItem(SITE_KEY);
  } catch {
    return null;
  }
}

function rememberSite(site: string): void {
  try {
    window.localStorage.setItem(SITE_KEY, site);
  } catch {
    // Not remembering is fine; the URL still holds the choice.
  }
}
