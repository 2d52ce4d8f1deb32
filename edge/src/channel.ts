const SEARCH =
  /(^|\.)(google|bing|duckduckgo|yahoo|yandex|baidu|ecosia|qwant|startpage|search\.brave|naver)\./;
const SOCIAL =
  /(^|\.)(facebook|fb|instagram|twitter|t\.co$|x\.com$|linkedin|lnkd|reddit|pinterest|tiktok|youtube|threads|mastodon|news\.ycombinator|bsky)/;
const EMAIL = /(^|\.)(mail\.google|outlook\.live|mail\.yahoo|mail\.proton)/;
const PAID_MEDIUM = /^(cpc|ppc|paid|paidsearch|paid_search|cpm|display|paid_social|paidsocial)$/;

export interface ChannelInput {
  referrerDomain: string;
  pageHostname: string;
  params: URLSearchParams;
}

/** The acquisition channel from UTM tags, click ids and the referrer. */
export function channelOf({ referrerDomain, pageHostname, params }: ChannelInput): string {
  const medium = (params.get("utm_medium") ?? "").toLowerCase();
  const source = (params.get("utm_source") ?? "").toLowerCase();
  const host = pageHostname.replace(/^www\./, "");
  const external = referrerDomain !== "" && referrerDomain !== host;
  const socialSource = SOCIAL.test(source) || (external && SOCIAL.test(referrerDomain));
  const searchSource = SEARCH.test(`${source}.`) || (external && SEARCH.test(referrerDomain));

  if (params.has("gclid") || params.has("msclkid") || params.has("gbraid") || params.has("wbraid"))
    return "paid_search";
  if (params.has("fbclid") && PAID_MEDIUM.test(medium)) return "paid_social";
  if (PAID_MEDIUM.test(medium)) return socialSource ? "paid_social" : "paid_search";
  if (medium === "email" || source === "newsletter" || (external && EMAIL.test(referrerDomain)))
    return "email";
  if (medium === "affiliate") return "affiliate";
  if (socialSource || medium === "social") return "organic_social";
  if (searchSource || medium === "organic") return "organic_search";
  if (external) return "referral";
  if (source !== "" || medium !== "") return "referral";
  return "direct";
}
