import { type Channel, channelOf, sameSite } from "./channel.ts";
import type { SiteInfo } from "./sites.ts";
import { type PageParts, splitPageUrl, splitReferrer } from "./url.ts";

/** What an event's page URL and referrer give its row. */
export interface Place {
  page: PageParts;
  referrer: string;
  referrerDomain: string;
  channel: Channel;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  utmTerm: string;
  utmContent: string;
}

/**
 * Places seen lately, across requests: a site's traffic lands on few pages from few referrers,
 * and parsing a URL and its referrer costs a single-event request ~10% of its CPU. Bounded, so
 * no traffic can grow it; the oldest entry goes first.
 */
export const PLACE_CACHE_ENTRIES = 2000;

interface Cached {
  /** The site object and query keys the place was worked out for: a reloaded site starts afresh. */
  site: SiteInfo;
  extraQueryKeys: ReadonlySet<string> | undefined;
  place: Place | null;
}

const cache = new Map<string, Cached>();

/** The place of a page URL and referrer on `site`; null for a URL that is not a page's. */
export function placeOf(
  url: string,
  referrer: string | undefined,
  hashRouting: boolean,
  site: SiteInfo,
  extraQueryKeys: ReadonlySet<string> | undefined,
): Place | null {
  // Lengths delimit the site id and the URL, whatever characters they and the referrer hold.
  const key = `${hashRouting ? "#" : ""}${site.id.length}:${site.id}${url.length}:${url}${referrer ?? ""}`;
  const hit = cache.get(key);
  if (hit && hit.site === site && hit.extraQueryKeys === extraQueryKeys) return hit.place;
  let place: Place | null = null;
  const page = splitPageUrl(url, hashRouting, extraQueryKeys);
  if (page) {
    const ref = splitReferrer(referrer);
    const internal = sameSite(ref.domain, page.hostname, site.domains);
    const { params } = page;
    place = {
      page,
      referrer: internal ? "" : ref.referrer,
      referrerDomain: internal ? "" : ref.domain,
      channel: channelOf({
        referrerDomain: ref.domain,
        pageHostname: page.hostname,
        params,
        siteDomains: site.domains,
      }),
      utmSource: params.get("utm_source") ?? "",
      utmMedium: params.get("utm_medium") ?? "",
      utmCampaign: params.get("utm_campaign") ?? "",
      utmTerm: params.get("utm_term") ?? "",
      utmContent: params.get("utm_content") ?? "",
    };
  }
  if (hit) cache.delete(key);
  else if (cache.size >= PLACE_CACHE_ENTRIES) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, { site, extraQueryKeys, place });
  return place;
}

/** Entries now cached; for tests. */
export function placeCacheSize(): number {
  return cache.size;
}
