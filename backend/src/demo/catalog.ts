import { channelOf, type DeviceInfo, parseUserAgent } from "@sightline/edge";

/**
 * The demo's world: sites, their pages, where visitors come from, where they are and what they
 * browse with. Everything here is plain data; generate.ts turns it into events.
 */

export type SiteKind = "shop" | "blog" | "docs";

export interface DemoSite {
  /** The site id (used in `data-site`), also the hostname of its pages. */
  id: string;
  name: string;
  domains: string[];
  kind: SiteKind;
}

export const DEFAULT_SITE_IDS = ["shop.example", "blog.example", "docs.example"] as const;

/** A lowercase hostname: valid both as a site id and as one of its domains. */
const HOSTNAME =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function isDemoSiteId(id: string): boolean {
  return id.length <= 253 && HOSTNAME.test(id);
}

const KIND_HINTS: ReadonlyArray<readonly [SiteKind, RegExp]> = [
  ["shop", /shop|store|market|boutique/],
  ["blog", /blog|news|journal|magazine|diary/],
  ["docs", /docs|doc\b|help|wiki|api|dev|learn/],
];
const KIND_ORDER: readonly SiteKind[] = ["shop", "blog", "docs"];
const KIND_NAMES: Record<SiteKind, string> = {
  shop: "Demo shop",
  blog: "Demo blog",
  docs: "Demo docs",
};

/** A demo site for an id; the profile (shop, blog or docs) is guessed from the name, else taken in turn. */
export function demoSite(id: string, index: number): DemoSite {
  const kind =
    KIND_HINTS.find(([, hint]) => hint.test(id))?.[0] ?? KIND_ORDER[index % KIND_ORDER.length]!;
  return { id, name: `${KIND_NAMES[kind]} (${id})`, domains: [id, `www.${id}`], kind };
}

/** How much of the traffic each kind of site gets, relative to the others. */
export const KIND_WEIGHT: Record<SiteKind, number> = { shop: 0.45, blog: 0.33, docs: 0.22 };

// ---------------------------------------------------------------------------------------------
// Pages

export interface Product {
  slug: string;
  /** Unit price, e.g. "49.00". */
  price: string;
}

/** Interleaves two word lists into distinct slugs, spreading the first words around. */
function combine(first: readonly string[], second: readonly string[], count: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count && i < first.length * second.length; i++) {
    const a = first[i % first.length]!;
    const b = second[(i + Math.floor(i / first.length)) % second.length]!;
    const slug = `${a}-${b}`;
    if (!out.includes(slug)) out.push(slug);
  }
  return out;
}

const PRODUCT_ADJECTIVES = [
  "merino",
  "classic",
  "waxed",
  "linen",
  "recycled",
  "alpine",
  "organic",
  "everyday",
  "heritage",
  "lightweight",
  "cashmere",
  "canvas",
];
const PRODUCT_NOUNS: ReadonlyArray<readonly [string, number]> = [
  ["wool-sweater", 89],
  ["rain-jacket", 149],
  ["trail-runner", 119],
  ["tote-bag", 39],
  ["leather-belt", 45],
  ["beanie", 25],
  ["chino-pants", 69],
  ["oxford-shirt", 59],
  ["hiking-boot", 179],
  ["backpack", 99],
  ["down-vest", 129],
  ["scarf", 35],
  ["sneaker", 95],
  ["hoodie", 65],
];

export const PRODUCTS: readonly Product[] = combine(
  PRODUCT_ADJECTIVES,
  PRODUCT_NOUNS.map(([noun]) => noun),
  120,
).map((slug, i) => {
  const base = PRODUCT_NOUNS.find(([noun]) => slug.endsWith(noun))?.[1] ?? 50;
  const cents = i % 3 === 0 ? "99" : "00";
  return { slug, price: `${base - (cents === "99" ? 1 : 0) + (i % 4) * 5}.${cents}` };
});

export const SHOP_COLLECTIONS = [
  "new-arrivals",
  "sale",
  "outerwear",
  "knitwear",
  "footwear",
  "accessories",
  "bags",
  "men",
  "women",
  "gift-guide",
];
export const SHOP_INFO_PAGES = ["/about", "/shipping", "/returns", "/faq", "/contact", "/stores"];
export const SHOP_SEARCHES = [
  "rain jacket",
  "wool sweater",
  "boots",
  "gift card",
  "backpack",
  "linen shirt",
  "size guide",
  "sale",
];

const POST_OPENERS = [
  "how-we",
  "why-i-switched-to",
  "a-guide-to",
  "lessons-from",
  "notes-on",
  "the-case-for",
  "getting-started-with",
  "a-year-of",
  "the-hidden-cost-of",
  "what-i-learned-from",
];
const POST_SUBJECTS = [
  "self-hosting",
  "privacy-friendly-analytics",
  "sourdough",
  "remote-work",
  "typescript",
  "winter-cycling",
  "static-sites",
  "home-espresso",
  "minimal-wardrobes",
  "open-source-funding",
  "small-databases",
  "slow-travel",
  "daily-writing",
  "balcony-gardening",
  "film-photography",
];
export const BLOG_POSTS: readonly string[] = combine(POST_OPENERS, POST_SUBJECTS, 150).map(
  (slug) => `/posts/${slug}`,
);
export const BLOG_TAGS = [
  "privacy",
  "engineering",
  "travel",
  "food",
  "productivity",
  "open-source",
  "photography",
  "gardening",
  "cycling",
  "writing",
];
export const BLOG_OTHER_PAGES = ["/about", "/newsletter", "/archive", "/now", "/uses"];
export const BLOG_OUTBOUND = [
  "https://github.com/",
  "https://en.wikipedia.org/wiki/Sourdough",
  "https://www.youtube.com/watch",
  "https://news.ycombinator.com/item",
  "https://developer.mozilla.org/en-US/docs/Web/Privacy",
  "https://www.openstreetmap.org/",
  "https://unsplash.com/photos",
];

const DOC_SECTIONS: ReadonlyArray<readonly [string, readonly string[]]> = [
  [
    "getting-started",
    ["introduction", "installation", "quickstart", "configuration", "upgrading", "faq"],
  ],
  [
    "guides",
    [
      "custom-events",
      "single-page-apps",
      "proxying-the-script",
      "excluding-your-visits",
      "goals-and-funnels",
      "utm-campaigns",
      "docker",
      "kubernetes",
      "backups",
      "scaling-clickhouse",
      "importing-data",
      "dashboards",
      "alerts",
      "api-tokens",
    ],
  ],
  [
    "api",
    [
      "authentication",
      "query",
      "sites",
      "dashboards",
      "widgets",
      "tokens",
      "errors",
      "rate-limits",
      "pagination",
    ],
  ],
  [
    "reference",
    [
      "tracker-snippet",
      "tracker-commands",
      "settings",
      "events-table",
      "channels",
      "cli",
      "environment-variables",
      "glossary",
    ],
  ],
  [
    "integrations",
    [
      "nextjs",
      "nuxt",
      "wordpress",
      "shopify",
      "hugo",
      "astro",
      "gatsby",
      "vercel",
      "netlify",
      "cloudflare-workers",
      "ghost",
      "docusaurus",
    ],
  ],
];
/** Doc pages in a rough order of popularity (sections interleaved). */
export const DOC_PAGES: readonly string[] = (() => {
  const pages: string[] = [];
  const longest = Math.max(...DOC_SECTIONS.map(([, p]) => p.length));
  for (let i = 0; i < longest; i++) {
    for (const [section, list] of DOC_SECTIONS) {
      const page = list[i];
      if (page) pages.push(`/docs/${section}/${page}`);
    }
  }
  return pages;
})();
export const DOCS_OTHER_PAGES = ["/pricing", "/download", "/changelog", "/blog", "/community"];
export const DOCS_SEARCHES = [
  "install",
  "docker",
  "api token",
  "custom events",
  "proxy",
  "single page app",
  "retention",
  "backup",
  "nginx",
  "next.js",
];
export const DOCS_OUTBOUND = [
  "https://github.com/",
  "https://clickhouse.com/docs",
  "https://nodejs.org/en/download",
  "https://docs.docker.com/compose/",
  "https://www.npmjs.com/",
];
/** Download links, as the tracker reports them: the link's URL. */
export const DOWNLOADS: ReadonlyArray<Record<string, string>> = [
  "sightline-2.4.1-linux-x64.tar.gz",
  "sightline-2.4.1-linux-arm64.tar.gz",
  "sightline-2.4.1-darwin-arm64.tar.gz",
  "sightline-2.4.1-windows-x64.zip",
  "docker-compose.yml",
  "sightline-2.3.0-linux-x64.tar.gz",
].map((file) => ({ url: `https://docs.example/releases/${file}` }));

/**
 * JavaScript errors as the errors plugin reports them (`fp` is its stack fingerprint), each
 * with how often it happens relative to the others.
 */
export const JS_ERRORS: ReadonlyArray<readonly [Record<string, string>, number]> = [
  [
    {
      message: "Cannot read properties of undefined (reading 'price')",
      type: "TypeError",
      source: "/assets/cart-3f9a1c.js",
      line: "212",
      col: "18",
      fp: "demo-cart-price",
    },
    6,
  ],
  [
    {
      message: "Failed to fetch",
      type: "unhandledrejection",
      source: "",
      line: "0",
      col: "0",
      fp: "demo-failed-fetch",
    },
    4,
  ],
  [
    {
      message: "ResizeObserver loop completed with undelivered notifications.",
      type: "Error",
      source: "/assets/app-91b2e0.js",
      line: "1",
      col: "4471",
      fp: "demo-resize-observer",
    },
    3,
  ],
  [
    {
      message: "Unexpected token '<', is not valid JSON",
      type: "SyntaxError",
      source: "/assets/search-77ad12.js",
      line: "48",
      col: "9",
      fp: "demo-search-json",
    },
    1,
  ],
];

/** Old links that now answer 404 (the page marks itself with the sightline:404 meta tag). */
export const BROKEN_PATHS = [
  "/old-summer-sale",
  "/products/discontinued-scarf",
  "/blog/draft-post",
];

/**
 * Core Web Vitals as the vitals plugin reports them: a typical value per metric (the median of
 * a skewed spread) and Google's good and poor thresholds for the rating.
 */
export const VITALS: ReadonlyArray<{ metric: string; median: number; good: number; poor: number }> =
  [
    { metric: "TTFB", median: 420, good: 800, poor: 1800 },
    { metric: "FCP", median: 1300, good: 1800, poor: 3000 },
    { metric: "LCP", median: 2100, good: 2500, poor: 4000 },
    { metric: "CLS", median: 0.06, good: 0.1, poor: 0.25 },
    { metric: "INP", median: 160, good: 200, poor: 500 },
  ];
export const CODE_LANGUAGES = ["bash", "html", "typescript", "yaml", "json"];

// ---------------------------------------------------------------------------------------------
// Acquisition: referrers and UTM campaigns, as the collector would store them

/** The mix of sources is set per intended channel; the stored channel comes from channelOf. */
type Channel =
  | "direct"
  | "organic_search"
  | "paid_search"
  | "organic_social"
  | "paid_social"
  | "email"
  | "referral"
  | "affiliate";

/** Everything about how one session arrived, as it appears on its landing page's events. */
export interface Source {
  /** By the collector's own rules (channelOf), so it is what ingest would store. */
  channel: string;
  /** Origin-only, the way browsers send cross-origin referrers (`https://www.google.com/`). */
  referrer: string;
  referrer_domain: string;
  /** The landing URL's allowlisted query, encoded as the collector stores it. */
  query: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string;
  utm_content: string;
}

interface SourceSpec {
  referrer?: string;
  utm?: [source: string, medium: string, campaign?: string, term?: string, content?: string];
  ref?: string;
}

function source(site: DemoSite, spec: SourceSpec): Source {
  const [utmSource = "", medium = "", campaign = "", term = "", content = ""] = spec.utm ?? [];
  const params = new URLSearchParams();
  const utm: Array<[string, string]> = [
    ["utm_source", utmSource],
    ["utm_medium", medium],
    ["utm_campaign", campaign],
    ["utm_term", term],
    ["utm_content", content],
  ];
  for (const [key, value] of utm) if (value) params.append(key, value);
  if (spec.ref) params.append("ref", spec.ref);
  const referrer = spec.referrer ?? "";
  const referrerDomain = referrer ? new URL(referrer).hostname.replace(/^www\./, "") : "";
  return {
    channel: channelOf({
      referrerDomain,
      pageHostname: site.id,
      params,
      siteDomains: site.domains,
    }),
    referrer,
    referrer_domain: referrerDomain,
    query: params.toString(),
    utm_source: utmSource,
    utm_medium: medium,
    utm_campaign: campaign,
    utm_term: term,
    utm_content: content,
  };
}

type Spec = readonly [SourceSpec, number];

const SEARCH_ENGINES: readonly Spec[] = [
  [{ referrer: "https://www.google.com/" }, 62],
  [{ referrer: "https://www.google.de/" }, 6],
  [{ referrer: "https://www.google.co.uk/" }, 5],
  [{ referrer: "https://www.google.fr/" }, 3],
  [{ referrer: "https://www.bing.com/" }, 8],
  [{ referrer: "https://duckduckgo.com/" }, 6],
  [{ referrer: "https://www.ecosia.org/" }, 2],
  [{ referrer: "https://search.brave.com/" }, 2],
  [{ referrer: "https://search.yahoo.com/" }, 2],
  [{ referrer: "https://yandex.ru/" }, 1],
  [{ referrer: "https://www.baidu.com/" }, 1],
];

const SOCIAL: readonly Spec[] = [
  [{ referrer: "https://t.co/" }, 14],
  [{ referrer: "https://t.co/", utm: ["twitter", "social", "launch_thread"] }, 3],
  [{ referrer: "https://www.reddit.com/" }, 16],
  [{ referrer: "https://news.ycombinator.com/" }, 10],
  [{ referrer: "https://www.linkedin.com/" }, 9],
  [{ referrer: "https://lnkd.in/" }, 2],
  [{ referrer: "https://l.facebook.com/" }, 9],
  [{ referrer: "https://www.instagram.com/" }, 6],
  [{ referrer: "https://bsky.app/" }, 5],
  [{ referrer: "https://mastodon.social/" }, 4],
  [{ referrer: "https://www.youtube.com/" }, 6],
  [{ referrer: "https://www.pinterest.com/" }, 4],
  [{ referrer: "https://www.threads.net/" }, 2],
];

const EMAIL_REFERRERS = [
  "",
  "",
  "",
  "",
  "",
  "",
  "https://mail.google.com/",
  "https://outlook.live.com/",
];

function emailSources(campaigns: readonly string[]): Spec[] {
  const specs: Spec[] = [];
  for (const [i, campaign] of campaigns.entries()) {
    for (const [j, referrer] of EMAIL_REFERRERS.entries()) {
      const content = j % 2 === 0 ? "cta_button" : "header_link";
      specs.push([{ referrer, utm: ["newsletter", "email", campaign, "", content] }, 1 / (i + 1)]);
    }
  }
  // Webmail without tags still counts as email.
  specs.push([{ referrer: "https://mail.google.com/" }, 0.6]);
  return specs;
}

function paidSearch(campaigns: ReadonlyArray<readonly [string, readonly string[]]>): Spec[] {
  const specs: Spec[] = [];
  for (const [campaign, terms] of campaigns) {
    for (const term of terms) {
      for (const content of ["ad_a", "ad_b"]) {
        specs.push([
          {
            referrer: "https://www.google.com/",
            utm: ["google", "cpc", campaign, term, content],
          },
          4,
        ]);
      }
      specs.push([{ utm: ["google", "cpc", campaign, term, "ad_a"] }, 1]);
      specs.push([
        {
          referrer: "https://www.bing.com/",
          utm: ["bing", "cpc", campaign, term],
        },
        1,
      ]);
    }
  }
  return specs;
}

function paidSocial(campaigns: readonly string[]): Spec[] {
  const specs: Spec[] = [];
  for (const campaign of campaigns) {
    specs.push(
      [
        {
          referrer: "https://l.facebook.com/",
          utm: ["facebook", "paid_social", campaign, "", "carousel"],
        },
        4,
      ],
      [{ utm: ["facebook", "paid_social", campaign, "", "video"] }, 3],
      [
        {
          referrer: "https://l.instagram.com/",
          utm: ["instagram", "cpc", campaign, "", "story"],
        },
        4,
      ],
      [{ utm: ["tiktok", "paid_social", campaign, "", "spark_ad"] }, 2],
      [{ referrer: "https://www.linkedin.com/", utm: ["linkedin", "paid_social", campaign] }, 1],
    );
  }
  return specs;
}

function referrals(origins: readonly string[]): Spec[] {
  return origins.map((referrer, i) => [{ referrer }, 1 / (i + 1) ** 0.7] as const);
}

const AFFILIATES: readonly Spec[] = [
  [
    {
      referrer: "https://www.couponfollow.com/",
      utm: ["couponfollow", "affiliate", "partner_program"],
    },
    3,
  ],
  [{ referrer: "https://www.rakuten.com/", utm: ["rakuten", "affiliate", "cashback"] }, 3],
  [{ utm: ["skimlinks", "affiliate", "partner_program"] }, 2],
  [
    { referrer: "https://www.slickdeals.net/", utm: ["slickdeals", "affiliate", "summer_deals"] },
    2,
  ],
];

interface ChannelMix {
  channels: Record<Channel, number>;
  specs: Record<Channel, readonly Spec[]>;
}

/** Share of sessions per channel for a first visit; returning visits lean to direct and email. */
const CHANNEL_MIX: Record<SiteKind, Record<Channel, number>> = {
  shop: {
    organic_search: 30,
    direct: 18,
    paid_search: 14,
    organic_social: 8,
    paid_social: 9,
    email: 9,
    referral: 6,
    affiliate: 6,
  },
  blog: {
    organic_search: 36,
    direct: 14,
    paid_search: 0,
    organic_social: 24,
    paid_social: 0,
    email: 10,
    referral: 15,
    affiliate: 1,
  },
  docs: {
    organic_search: 46,
    direct: 24,
    paid_search: 4,
    organic_social: 6,
    paid_social: 1,
    email: 3,
    referral: 16,
    affiliate: 0,
  },
};

const RETURNING_FACTOR: Record<Channel, number> = {
  direct: 3,
  organic_search: 0.8,
  paid_search: 0.5,
  organic_social: 0.6,
  paid_social: 0.4,
  email: 2,
  referral: 0.6,
  affiliate: 0.4,
};

function channelMix(site: DemoSite, others: readonly DemoSite[]): ChannelMix {
  const crossLinks = others.filter((o) => o.id !== site.id).map((o) => `https://${o.id}/`);
  const specs: Record<SiteKind, Record<Channel, readonly Spec[]>> = {
    shop: {
      direct: [[{}, 1]],
      organic_search: SEARCH_ENGINES,
      paid_search: paidSearch([
        ["brand_search", ["sightline shop", "sightline outerwear"]],
        ["generic_outerwear", ["rain jacket", "waterproof jacket", "down vest"]],
        ["knitwear_fall", ["merino sweater", "wool sweater women"]],
        ["footwear", ["hiking boots", "trail running shoes"]],
      ]),
      organic_social: SOCIAL,
      paid_social: paidSocial(["spring_launch", "retargeting", "gift_guide"]),
      email: emailSources(["weekly_picks", "spring_sale", "abandoned_cart", "welcome_series"]),
      referral: referrals([
        "https://www.trustpilot.com/",
        ...crossLinks,
        "https://www.theverge.com/",
        "https://www.nytimes.com/",
        "https://www.buzzfeed.com/",
        "https://www.outsideonline.com/",
      ]),
      affiliate: AFFILIATES,
    },
    blog: {
      direct: [[{}, 1]],
      organic_search: SEARCH_ENGINES,
      paid_search: paidSearch([["blog_promo", ["self hosting guide"]]]),
      organic_social: SOCIAL,
      paid_social: paidSocial(["blog_promo"]),
      email: emailSources(["weekly_digest", "new_post"]),
      referral: referrals([
        "https://github.com/",
        "https://dev.to/",
        "https://medium.com/",
        "https://lobste.rs/",
        ...crossLinks,
        "https://www.indiehackers.com/",
        "https://kottke.org/",
        "https://substack.com/",
      ]),
      affiliate: [[{ utm: ["partner_newsletter", "affiliate", "cross_promo"] }, 1]],
    },
    docs: {
      direct: [[{}, 1]],
      organic_search: SEARCH_ENGINES,
      paid_search: paidSearch([
        ["brand_search", ["sightline analytics"]],
        ["competitor", ["google analytics alternative", "self hosted analytics"]],
      ]),
      organic_social: SOCIAL,
      paid_social: paidSocial(["devtools_launch"]),
      email: emailSources(["product_update", "release_notes"]),
      referral: [
        ...referrals([
          "https://github.com/",
          "https://stackoverflow.com/",
          "https://chatgpt.com/",
          "https://www.npmjs.com/",
          ...crossLinks,
          "https://dev.to/",
          "https://www.perplexity.ai/",
          "https://docs.docker.com/",
        ]),
        [{ referrer: "https://www.producthunt.com/", ref: "producthunt" }, 0.4],
      ],
      affiliate: [[{ utm: ["partner_newsletter", "affiliate", "cross_promo"] }, 1]],
    },
  };
  return { channels: CHANNEL_MIX[site.kind], specs: specs[site.kind] };
}

/** Weighted sources of sessions for one site: first visits, and returning visitors. */
export function sourcesFor(
  site: DemoSite,
  allSites: readonly DemoSite[],
): { first: Array<[Source, number]>; returning: Array<[Source, number]> } {
  const { channels, specs } = channelMix(site, allSites);
  const first: Array<[Source, number]> = [];
  const returning: Array<[Source, number]> = [];
  for (const channel of Object.keys(channels) as Channel[]) {
    const share = channels[channel];
    const list = specs[channel];
    const total = list.reduce((sum, [, w]) => sum + w, 0);
    if (share === 0 || list.length === 0 || total === 0) continue;
    for (const [spec, weight] of list) {
      const s = source(site, spec);
      first.push([s, (share * weight) / total]);
      returning.push([s, (share * RETURNING_FACTOR[channel] * weight) / total]);
    }
  }
  return { first, returning };
}

// ---------------------------------------------------------------------------------------------
// Geography: ISO 3166-1 countries, ISO 3166-2 regions, English city names

export interface Region {
  code: string;
  cities: readonly string[];
  /** Hours from UTC, for the day/night curve. */
  utcOffset: number;
}

export interface Country {
  code: string;
  weight: number;
  regions: ReadonlyArray<readonly [Region, number]>;
  languages: ReadonlyArray<readonly [string, number]>;
  currency: "USD" | "EUR" | "GBP";
}

function region(code: string, utcOffset: number, ...cities: string[]): Region {
  return { code, cities, utcOffset };
}

export const COUNTRIES: readonly Country[] = [
  {
    code: "US",
    weight: 30,
    currency: "USD",
    regions: [
      [region("US-CA", -8, "Los Angeles", "San Francisco", "San Diego", "San Jose"), 12],
      [region("US-NY", -5, "New York", "Brooklyn", "Buffalo"), 9],
      [region("US-TX", -6, "Austin", "Houston", "Dallas"), 8],
      [region("US-WA", -8, "Seattle", "Redmond"), 4],
      [region("US-IL", -6, "Chicago"), 4],
      [region("US-FL", -5, "Miami", "Orlando", "Tampa"), 5],
      [region("US-MA", -5, "Boston", "Cambridge"), 3],
      [region("US-CO", -7, "Denver", "Boulder"), 2],
      [region("US-GA", -5, "Atlanta"), 2],
      [region("US-OR", -8, "Portland"), 2],
    ],
    languages: [
      ["en-US", 90],
      ["es-US", 6],
      ["zh-CN", 2],
      ["de-DE", 2],
    ],
  },
  {
    code: "DE",
    weight: 9,
    currency: "EUR",
    regions: [
      [region("DE-BE", 1, "Berlin"), 5],
      [region("DE-BY", 1, "Munich", "Nuremberg"), 5],
      [region("DE-HH", 1, "Hamburg"), 3],
      [region("DE-NW", 1, "Cologne", "Düsseldorf", "Dortmund"), 6],
      [region("DE-HE", 1, "Frankfurt am Main"), 2],
      [region("DE-BW", 1, "Stuttgart", "Karlsruhe"), 3],
    ],
    languages: [
      ["de-DE", 85],
      ["en-US", 10],
      ["en-GB", 5],
    ],
  },
  {
    code: "GB",
    weight: 8,
    currency: "GBP",
    regions: [
      [region("GB-ENG", 0, "London", "Manchester", "Bristol", "Leeds", "Birmingham"), 20],
      [region("GB-SCT", 0, "Edinburgh", "Glasgow"), 3],
      [region("GB-WLS", 0, "Cardiff"), 1],
    ],
    languages: [
      ["en-GB", 85],
      ["en-US", 15],
    ],
  },
  {
    code: "FR",
    weight: 5,
    currency: "EUR",
    regions: [
      [region("FR-IDF", 1, "Paris"), 6],
      [region("FR-ARA", 1, "Lyon", "Grenoble"), 3],
      [region("FR-PAC", 1, "Marseille", "Nice"), 2],
      [region("FR-OCC", 1, "Toulouse", "Montpellier"), 2],
    ],
    languages: [
      ["fr-FR", 85],
      ["en-US", 15],
    ],
  },
  {
    code: "IN",
    weight: 6,
    currency: "USD",
    regions: [
      [region("IN-KA", 5.5, "Bengaluru"), 5],
      [region("IN-MH", 5.5, "Mumbai", "Pune"), 5],
      [region("IN-DL", 5.5, "New Delhi"), 3],
      [region("IN-TG", 5.5, "Hyderabad"), 3],
      [region("IN-TN", 5.5, "Chennai"), 2],
    ],
    languages: [
      ["en-IN", 60],
      ["en-US", 30],
      ["hi-IN", 10],
    ],
  },
  {
    code: "CA",
    weight: 4,
    currency: "USD",
    regions: [
      [region("CA-ON", -5, "Toronto", "Ottawa"), 5],
      [region("CA-QC", -5, "Montreal", "Quebec City"), 3],
      [region("CA-BC", -8, "Vancouver", "Victoria"), 3],
      [region("CA-AB", -7, "Calgary", "Edmonton"), 1],
    ],
    languages: [
      ["en-CA", 70],
      ["fr-CA", 20],
      ["en-US", 10],
    ],
  },
  {
    code: "BR",
    weight: 4,
    currency: "USD",
    regions: [
      [region("BR-SP", -3, "São Paulo", "Campinas"), 6],
      [region("BR-RJ", -3, "Rio de Janeiro"), 3],
      [region("BR-MG", -3, "Belo Horizonte"), 1],
    ],
    languages: [
      ["pt-BR", 90],
      ["en-US", 10],
    ],
  },
  {
    code: "NL",
    weight: 3,
    currency: "EUR",
    regions: [
      [region("NL-NH", 1, "Amsterdam", "Haarlem"), 4],
      [region("NL-ZH", 1, "Rotterdam", "The Hague"), 3],
      [region("NL-UT", 1, "Utrecht"), 1],
    ],
    languages: [
      ["nl-NL", 75],
      ["en-US", 25],
    ],
  },
  {
    code: "JP",
    weight: 3,
    currency: "USD",
    regions: [
      [region("JP-13", 9, "Tokyo"), 6],
      [region("JP-27", 9, "Osaka"), 2],
      [region("JP-14", 9, "Yokohama"), 1],
    ],
    languages: [
      ["ja-JP", 90],
      ["en-US", 10],
    ],
  },
  {
    code: "AU",
    weight: 3,
    currency: "USD",
    regions: [
      [region("AU-NSW", 10, "Sydney"), 4],
      [region("AU-VIC", 10, "Melbourne"), 4],
      [region("AU-QLD", 10, "Brisbane"), 2],
    ],
    languages: [
      ["en-AU", 85],
      ["en-US", 15],
    ],
  },
  {
    code: "ES",
    weight: 3,
    currency: "EUR",
    regions: [
      [region("ES-MD", 1, "Madrid"), 4],
      [region("ES-CT", 1, "Barcelona"), 4],
      [region("ES-VC", 1, "Valencia"), 1],
    ],
    languages: [
      ["es-ES", 85],
      ["ca-ES", 5],
      ["en-US", 10],
    ],
  },
  {
    code: "IT",
    weight: 2.5,
    currency: "EUR",
    regions: [
      [region("IT-25", 1, "Milan", "Bergamo"), 4],
      [region("IT-62", 1, "Rome"), 3],
      [region("IT-21", 1, "Turin"), 1],
    ],
    languages: [
      ["it-IT", 88],
      ["en-US", 12],
    ],
  },
  {
    code: "PL",
    weight: 2,
    currency: "USD",
    regions: [
      [region("PL-14", 1, "Warsaw"), 4],
      [region("PL-12", 1, "Kraków"), 2],
      [region("PL-02", 1, "Wrocław"), 1],
    ],
    languages: [
      ["pl-PL", 85],
      ["en-US", 15],
    ],
  },
  {
    code: "SE",
    weight: 2,
    currency: "USD",
    regions: [
      [region("SE-AB", 1, "Stockholm"), 4],
      [region("SE-O", 1, "Gothenburg"), 2],
      [region("SE-M", 1, "Malmö"), 1],
    ],
    languages: [
      ["sv-SE", 70],
      ["en-US", 30],
    ],
  },
  {
    code: "CH",
    weight: 1.5,
    currency: "USD",
    regions: [
      [region("CH-ZH", 1, "Zürich", "Winterthur"), 3],
      [region("CH-GE", 1, "Geneva"), 2],
      [region("CH-BE", 1, "Bern"), 1],
    ],
    languages: [
      ["de-CH", 60],
      ["fr-CH", 30],
      ["en-US", 10],
    ],
  },
  {
    code: "AT",
    weight: 1,
    currency: "EUR",
    regions: [
      [region("AT-9", 1, "Vienna"), 4],
      [region("AT-6", 1, "Graz"), 1],
    ],
    languages: [
      ["de-AT", 90],
      ["en-US", 10],
    ],
  },
  {
    code: "MX",
    weight: 1.5,
    currency: "USD",
    regions: [
      [region("MX-CMX", -6, "Mexico City"), 4],
      [region("MX-JAL", -6, "Guadalajara"), 1],
      [region("MX-NLE", -6, "Monterrey"), 1],
    ],
    languages: [
      ["es-MX", 90],
      ["en-US", 10],
    ],
  },
  {
    code: "KR",
    weight: 1,
    currency: "USD",
    regions: [
      [region("KR-11", 9, "Seoul"), 4],
      [region("KR-26", 9, "Busan"), 1],
    ],
    languages: [
      ["ko-KR", 92],
      ["en-US", 8],
    ],
  },
  {
    code: "SG",
    weight: 1,
    currency: "USD",
    regions: [[region("SG-01", 8, "Singapore"), 1]],
    languages: [
      ["en-SG", 70],
      ["zh-SG", 30],
    ],
  },
  {
    code: "IE",
    weight: 0.8,
    currency: "EUR",
    regions: [
      [region("IE-L", 0, "Dublin"), 4],
      [region("IE-M", 0, "Cork"), 1],
    ],
    languages: [["en-IE", 1]],
  },
  {
    code: "FI",
    weight: 0.6,
    currency: "EUR",
    regions: [[region("FI-18", 2, "Helsinki", "Espoo"), 1]],
    languages: [
      ["fi-FI", 75],
      ["en-US", 25],
    ],
  },
  {
    code: "NG",
    weight: 0.8,
    currency: "USD",
    regions: [
      [region("NG-LA", 1, "Lagos"), 3],
      [region("NG-FC", 1, "Abuja"), 1],
    ],
    languages: [["en-NG", 1]],
  },
  {
    code: "ZA",
    weight: 0.7,
    currency: "USD",
    regions: [
      [region("ZA-GP", 2, "Johannesburg", "Pretoria"), 2],
      [region("ZA-WC", 2, "Cape Town"), 1],
    ],
    languages: [["en-ZA", 1]],
  },
  {
    code: "AR",
    weight: 0.7,
    currency: "USD",
    regions: [[region("AR-C", -3, "Buenos Aires"), 1]],
    languages: [["es-AR", 1]],
  },
  {
    // Addresses no geo database knows.
    code: "",
    weight: 0.5,
    currency: "USD",
    regions: [[{ code: "", cities: [""], utcOffset: 0 }, 1]],
    languages: [["en-US", 1]],
  },
];

/** Where crawlers that run JavaScript come from: data centres. */
export const BOT_REGIONS: ReadonlyArray<readonly [country: string, Region, number]> = [
  ["US", region("US-VA", -5, "Ashburn"), 4],
  ["US", region("US-CA", -8, "Mountain View"), 3],
  ["US", region("US-OR", -8, "Boardman"), 1],
  ["IE", region("IE-L", 0, "Dublin"), 1],
  ["DE", region("DE-HE", 1, "Frankfurt am Main"), 1],
  ["NL", region("NL-NH", 1, "Amsterdam"), 1],
];

// ---------------------------------------------------------------------------------------------
// Browsers, systems and devices, parsed by the collector's own User-Agent parser

type DeviceClass = "desktop" | "mobile" | "tablet";

const CHROME = [
  ["140", 5],
  ["139", 3],
  ["138", 1],
] as const;
const FIREFOX = [
  ["143", 3],
  ["142", 1],
  ["128", 0.5],
] as const;
const SAFARI = [
  ["18_6", "18.6", 4],
  ["18_5", "18.5", 2],
  ["17_6", "17.6", 1],
] as const;

function userAgents(): Array<[DeviceClass, string, number]> {
  const out: Array<[DeviceClass, string, number]> = [];
  const webkit = "AppleWebKit/537.36 (KHTML, like Gecko)";
  for (const [v, w] of CHROME) {
    out.push(
      [
        "desktop",
        `Mozilla/5.0 (Windows NT 10.0; Win64; x64) ${webkit} Chrome/${v}.0.0.0 Safari/537.36`,
        30 * w,
      ],
      [
        "desktop",
        `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) ${webkit} Chrome/${v}.0.0.0 Safari/537.36`,
        14 * w,
      ],
      [
        "desktop",
        `Mozilla/5.0 (X11; Linux x86_64) ${webkit} Chrome/${v}.0.0.0 Safari/537.36`,
        3 * w,
      ],
      [
        "desktop",
        `Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) ${webkit} Chrome/${v}.0.0.0 Safari/537.36`,
        1 * w,
      ],
      [
        "desktop",
        `Mozilla/5.0 (Windows NT 10.0; Win64; x64) ${webkit} Chrome/${v}.0.0.0 Safari/537.36 Edg/${v}.0.0.0`,
        8 * w,
      ],
      [
        "mobile",
        `Mozilla/5.0 (Linux; Android 10; K) ${webkit} Chrome/${v}.0.0.0 Mobile Safari/537.36`,
        30 * w,
      ],
      [
        "mobile",
        `Mozilla/5.0 (Linux; Android 14; SM-S918B) ${webkit} SamsungBrowser/28.0 Chrome/${v}.0.0.0 Mobile Safari/537.36`,
        4 * w,
      ],
      [
        "tablet",
        `Mozilla/5.0 (Linux; Android 14; SM-X710) ${webkit} Chrome/${v}.0.0.0 Safari/537.36`,
        3 * w,
      ],
    );
  }
  for (const [v, w] of FIREFOX) {
    out.push(
      [
        "desktop",
        `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`,
        6 * w,
      ],
      [
        "desktop",
        `Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`,
        2 * w,
      ],
      [
        "desktop",
        `Mozilla/5.0 (X11; Linux x86_64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`,
        3 * w,
      ],
      ["mobile", `Mozilla/5.0 (Android 15; Mobile; rv:${v}.0) Gecko/${v}.0 Firefox/${v}.0`, 1 * w],
    );
  }
  for (const [ios, v, w] of SAFARI) {
    const safari = "AppleWebKit/605.1.15 (KHTML, like Gecko)";
    out.push(
      [
        "desktop",
        `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) ${safari} Version/${v} Safari/605.1.15`,
        12 * w,
      ],
      [
        "mobile",
        `Mozilla/5.0 (iPhone; CPU iPhone OS ${ios} like Mac OS X) ${safari} Version/${v} Mobile/15E148 Safari/604.1`,
        40 * w,
      ],
      [
        "mobile",
        `Mozilla/5.0 (iPhone; CPU iPhone OS ${ios} like Mac OS X) ${safari} CriOS/140.0.7339.101 Mobile/15E148 Safari/604.1`,
        5 * w,
      ],
      [
        "tablet",
        `Mozilla/5.0 (iPad; CPU OS ${ios} like Mac OS X) ${safari} Version/${v} Mobile/15E148 Safari/604.1`,
        10 * w,
      ],
    );
  }
  out.push([
    "desktop",
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64) ${webkit} Chrome/140.0.0.0 Safari/537.36 OPR/124.0.0.0`,
    4,
  ]);
  return out;
}

/** Share of visits per device class for each kind of site. */
const DEVICE_MIX: Record<SiteKind, Record<DeviceClass, number>> = {
  shop: { desktop: 38, mobile: 55, tablet: 7 },
  blog: { desktop: 48, mobile: 47, tablet: 5 },
  docs: { desktop: 80, mobile: 18, tablet: 2 },
};

export function devicesFor(kind: SiteKind): Array<[DeviceInfo, number]> {
  const agents = userAgents();
  const totals: Record<DeviceClass, number> = { desktop: 0, mobile: 0, tablet: 0 };
  for (const [cls, , w] of agents) totals[cls] += w;
  return agents.map(([cls, ua, w]) => {
    const info = parseUserAgent(ua);
    if (info.device !== cls || info.is_bot !== 0) {
      throw new Error(`demo catalog: "${ua}" parses as ${info.device}, not ${cls}`);
    }
    return [{ ...info }, (DEVICE_MIX[kind][cls] * w) / totals[cls]];
  });
}

/** Crawlers that run JavaScript, so they reach the tracker. */
export function botDevices(): Array<[DeviceInfo, number]> {
  const agents: Array<[string, number]> = [
    [
      "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      40,
    ],
    [
      "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/140.0.0.0 Safari/537.36",
      20,
    ],
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36",
      25,
    ],
    [
      "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse",
      15,
    ],
  ];
  return agents.map(([ua, w]) => {
    const info = parseUserAgent(ua);
    if (info.is_bot !== 1) throw new Error(`demo catalog: "${ua}" does not parse as a bot`);
    return [{ ...info }, w];
  });
}

// ---------------------------------------------------------------------------------------------
// When people visit

/** Relative activity per local hour (0–23) and per weekday (Sunday first). */
export const ACTIVITY: Record<SiteKind, { hourly: readonly number[]; weekly: readonly number[] }> =
  {
    shop: {
      hourly: [
        0.3, 0.18, 0.1, 0.07, 0.06, 0.1, 0.22, 0.42, 0.6, 0.72, 0.8, 0.86, 0.92, 0.9, 0.85, 0.82,
        0.84, 0.9, 0.98, 1, 1, 0.92, 0.72, 0.48,
      ],
      weekly: [0.9, 1, 0.98, 0.97, 0.96, 0.92, 0.85],
    },
    blog: {
      hourly: [
        0.25, 0.15, 0.09, 0.06, 0.06, 0.1, 0.25, 0.55, 0.8, 0.92, 0.95, 0.92, 0.9, 0.88, 0.85, 0.82,
        0.8, 0.78, 0.8, 0.86, 0.9, 0.8, 0.6, 0.4,
      ],
      weekly: [0.7, 1, 1, 0.98, 0.95, 0.85, 0.68],
    },
    docs: {
      hourly: [
        0.12, 0.07, 0.05, 0.04, 0.04, 0.06, 0.12, 0.3, 0.62, 0.9, 1, 0.98, 0.85, 0.92, 0.98, 0.95,
        0.86, 0.7, 0.5, 0.38, 0.32, 0.28, 0.22, 0.16,
      ],
      weekly: [0.4, 1, 1.05, 1.05, 1, 0.85, 0.42],
    },
  };
