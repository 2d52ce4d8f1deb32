import { scrubText } from "./scrub.ts";

/** Query keys that carry attribution; everything else is dropped before storage. */
export const KEPT_QUERY_KEYS: ReadonlySet<string> = new Set([
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "gclid",
  "gbraid",
  "wbraid",
  "fbclid",
  "msclkid",
  "ttclid",
  "twclid",
  "li_fat_id",
  "dclid",
  "yclid",
  "epik",
  "rdt_cid",
  "sccid",
  "irclickid",
  "ref",
]);

const EMPTY: ReadonlySet<string> = new Set();

export interface PageParts {
  hostname: string;
  pathname: string;
  query: string;
  params: URLSearchParams;
}

/**
 * Splits a page URL, keeping only allowlisted query keys. With hash routing the fragment's path
 * (`#/settings?tab=1` → `/settings`) is the page path. Emails and tokens in the path and in kept
 * query values are replaced (see scrub.ts). Returns null when it is not an http(s) URL.
 */
export function splitPageUrl(
  raw: string,
  hashRouting = false,
  extraKeys: ReadonlySet<string> = EMPTY,
): PageParts | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const params = new URLSearchParams();
  for (const [key, value] of url.searchParams) {
    const lower = key.toLowerCase();
    if (KEPT_QUERY_KEYS.has(lower) || extraKeys.has(lower)) params.append(lower, scrubText(value));
  }
  let pathname = url.pathname || "/";
  if (hashRouting && url.hash.length > 1) {
    const route = url.hash.slice(1).split("?")[0] ?? "";
    pathname = route.startsWith("/") ? route : `/${route}`;
  }
  return {
    hostname: url.hostname.toLowerCase(),
    pathname: scrubText(pathname),
    query: params.toString(),
    params,
  };
}

/** The referrer without its query string or fragment, and its host without `www.`. */
export function splitReferrer(raw: string | undefined): { referrer: string; domain: string } {
  if (!raw) return { referrer: "", domain: "" };
  try {
    const url = new URL(raw);
    if (url.protocol !== "http:" && url.protocol !== "https:") return { referrer: "", domain: "" };
    const domain = url.hostname.toLowerCase().replace(/^www\./, "");
    return { referrer: `${url.protocol}//${url.host}${scrubText(url.pathname)}`, domain };
  } catch {
    return { referrer: "", domain: "" };
  }
}
