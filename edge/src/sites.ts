export interface SiteInfo {
  id: string;
  domains: readonly string[];
}

/** Where the collector looks up sites: the backend's store in all-in-one mode, a cache elsewhere. */
export interface SiteDirectory {
  get(siteId: string): SiteInfo | undefined | Promise<SiteInfo | undefined>;
}

/** True when `origin` (an Origin header) is one of the site's domains or a subdomain of one. */
export function originAllowed(site: SiteInfo, origin: string): boolean {
  let host: string;
  try {
    host = new URL(origin).hostname.toLowerCase();
  } catch {
    return false;
  }
  return site.domains.some((domain) => {
    const d = domain.toLowerCase();
    return host === d || host.endsWith(`.${d}`);
  });
}
