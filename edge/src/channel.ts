/**
 * Acquisition channels, from UTM tags, click ids and the referrer's domain. The tables list the
 * registrable names (without the public suffix) of the sources that send most traffic; a
 * referrer matches when one of its labels, or two labels joined by a dot, is in a table.
 */
const SEARCH = new Set([
  "google",
  "bing",
  "duckduckgo",
  "yahoo",
  "search.yahoo",
  "yandex",
  "ya.ru",
  "baidu",
  "ecosia",
  "qwant",
  "startpage",
  "search.brave",
  "naver",
  "daum",
  "seznam",
  "so.com",
  "sogou",
  "ask.com",
  "aol",
  "search.aol",
  "kagi",
  "mojeek",
  "perplexity",
  "you.com",
  "presearch",
  "metager",
  "swisscows",
  "yep.com",
  "petalsearch",
  "coccoc",
  "rambler",
  "onet",
  "lycos",
  "dogpile",
  "chatgpt",
  "copilot.microsoft",
]);

const SOCIAL = new Set([
  "facebook",
  "fb.com",
  "fb.me",
  "m.facebook",
  "l.facebook",
  "lm.facebook",
  "messenger",
  "instagram",
  "l.instagram",
  "twitter",
  "t.co",
  "x.com",
  "linkedin",
  "lnkd.in",
  "reddit",
  "old.reddit",
  "redd.it",
  "pinterest",
  "pin.it",
  "tiktok",
  "youtube",
  "youtu.be",
  "threads",
  "mastodon",
  "mastodon.social",
  "news.ycombinator",
  "bsky",
  "bsky.app",
  "tumblr",
  "vk.com",
  "ok.ru",
  "weibo",
  "wechat",
  "weixin.qq",
  "discord",
  "discordapp",
  "telegram",
  "t.me",
  "whatsapp",
  "wa.me",
  "snapchat",
  "quora",
  "medium",
  "substack",
  "twitch",
  "vimeo",
  "dribbble",
  "behance",
  "producthunt",
  "slack",
  "xing",
  "line.me",
  "kakao",
  "douban",
  "zhihu",
  "lemmy",
  "stackoverflow",
  "stackexchange",
  "github",
  "dev.to",
  "hashnode",
  "lobste.rs",
]);

const EMAIL = new Set([
  "mail.google",
  "gmail",
  "outlook.live",
  "outlook.office",
  "outlook.office365",
  "mail.yahoo",
  "mail.proton",
  "mail.aol",
  "mail.yandex",
  "mail.ru",
  "e.mail.ru",
  "mail.zoho",
  "fastmail",
  "mail.qq",
  "tutanota",
  "mailchimp",
  "list-manage",
  "sendgrid",
  "mailgun",
  "substack.email",
]);

const PAID_MEDIUM =
  /^(cpc|ppc|paid|paidsearch|paid[_-]search|sem|cpa|cpv|cpm|paid[_-]?social|social[_-]?paid|paid[_-]?other)$/;
const DISPLAY_MEDIUM = /^(display|banner|cpm|interstitial|expandable)$/;
const SOCIAL_MEDIUM = /^(social|social[_-]network|social[_-]media|sm|organic[_-]?social)$/;
const SEARCH_CLICK_IDS = ["gclid", "gbraid", "wbraid", "msclkid", "dclid", "yclid"];
const SOCIAL_CLICK_IDS = ["ttclid", "twclid", "li_fat_id", "epik", "rdt_cid", "sccid"];

/**
 * True when a table holds one label of the domain (never the last, a public suffix), or two
 * consecutive labels. Short or ambiguous names are listed with their suffix (`t.co`, `ok.ru`).
 */
function listed(table: ReadonlySet<string>, domain: string): boolean {
  if (domain === "") return false;
  const labels = domain.split(".");
  for (let i = 0; i < labels.length; i++) {
    const one = labels[i] ?? "";
    if (i < labels.length - 1 && table.has(one)) return true;
    const two = `${one}.${labels[i + 1] ?? ""}`;
    if (i + 1 < labels.length && table.has(two)) return true;
  }
  return false;
}

const SEARCH_BIT = 1;
const SOCIAL_BIT = 2;
const EMAIL_BIT = 4;
const MEMO_LIMIT = 4096;
// Referrer domains and utm_source values repeat heavily: remember which tables list them.
const domainMemo = new Map<string, number>();
const sourceMemo = new Map<string, number>();

function remember(memo: Map<string, number>, key: string, bits: number): number {
  if (key.length > 253) return bits; // longer than any domain: not worth keeping
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, bits);
  return bits;
}

/** Which tables list a referrer domain, as SEARCH_BIT | SOCIAL_BIT | EMAIL_BIT. */
function domainKinds(domain: string): number {
  if (domain === "") return 0;
  const known = domainMemo.get(domain);
  if (known !== undefined) return known;
  return remember(
    domainMemo,
    domain,
    (listed(SEARCH, domain) ? SEARCH_BIT : 0) |
      (listed(SOCIAL, domain) ? SOCIAL_BIT : 0) |
      (listed(EMAIL, domain) ? EMAIL_BIT : 0),
  );
}

/**
 * Which tables name a `utm_source=...` value: the whole value or a listed label of it
 * (SEARCH_BIT | SOCIAL_BIT).
 */
function sourceKinds(source: string): number {
  if (source === "") return 0;
  const known = sourceMemo.get(source);
  if (known !== undefined) return known;
  const labels = `${source}.x`;
  return remember(
    sourceMemo,
    source,
    (SEARCH.has(source) || listed(SEARCH, labels) ? SEARCH_BIT : 0) |
      (SOCIAL.has(source) || listed(SOCIAL, labels) ? SOCIAL_BIT : 0),
  );
}

/** True when `domain` is the page's host or one of the site's domains (or a subdomain of one). */
export function sameSite(domain: string, pageHostname: string, siteDomains: readonly string[]) {
  if (domain === "") return false;
  const d = domain.replace(/^www\./, "");
  const host = pageHostname.replace(/^www\./, "");
  if (d === host) return true;
  return siteDomains.some((s) => {
    const site = s.toLowerCase().replace(/^www\./, "");
    return d === site || d.endsWith(`.${site}`);
  });
}

export interface ChannelInput {
  referrerDomain: string;
  pageHostname: string;
  params: URLSearchParams;
  /** The site's own domains: a referrer from any of them is internal, not a referral. */
  siteDomains?: readonly string[];
}

export type Channel =
  | "direct"
  | "organic_search"
  | "paid_search"
  | "organic_social"
  | "paid_social"
  | "email"
  | "affiliate"
  | "display"
  | "referral";

/** The acquisition channel from UTM tags, click ids and the referrer. */
export function channelOf({
  referrerDomain,
  pageHostname,
  params,
  siteDomains = [],
}: ChannelInput): Channel {
  const medium = (params.get("utm_medium") ?? "").toLowerCase().trim();
  const source = (params.get("utm_source") ?? "").toLowerCase().trim();
  const external = referrerDomain !== "" && !sameSite(referrerDomain, pageHostname, siteDomains);
  const referrer = external ? referrerDomain : "";
  const kinds = sourceKinds(source) | domainKinds(referrer);
  const socialSource = (kinds & SOCIAL_BIT) !== 0;
  const searchSource = (kinds & SEARCH_BIT) !== 0;

  if (SEARCH_CLICK_IDS.some((k) => params.has(k))) return "paid_search";
  if (SOCIAL_CLICK_IDS.some((k) => params.has(k))) return "paid_social";
  if (params.has("fbclid") && PAID_MEDIUM.test(medium)) return "paid_social";
  if (DISPLAY_MEDIUM.test(medium)) return "display";
  if (PAID_MEDIUM.test(medium)) return socialSource ? "paid_social" : "paid_search";
  if (
    /^e-?mail$|^newsletter$/.test(medium) ||
    source === "newsletter" ||
    (domainKinds(referrer) & EMAIL_BIT) !== 0
  )
    return "email";
  if (medium === "affiliate" || medium === "partner" || params.has("irclickid")) return "affiliate";
  if (socialSource || SOCIAL_MEDIUM.test(medium) || params.has("fbclid")) return "organic_social";
  if (searchSource || medium === "organic") return "organic_search";
  if (referrer !== "") return "referral";
  if (source !== "" || medium !== "") return "referral";
  return "direct";
}
