import { randomBytes } from "node:crypto";
import { type DeviceInfo, type EventRow, formatTimestamp } from "@sightline/edge";
import { SESSION_TIMEOUT_MS } from "@sightline/tracker/rules";
import {
  ACTIVITY,
  BLOG_OTHER_PAGES,
  BLOG_OUTBOUND,
  BLOG_POSTS,
  BLOG_TAGS,
  BOT_REGIONS,
  BROKEN_PATHS,
  botDevices,
  CODE_LANGUAGES,
  COUNTRIES,
  type Country,
  type DemoSite,
  DOC_PAGES,
  DOCS_OTHER_PAGES,
  DOCS_OUTBOUND,
  DOCS_SEARCHES,
  DOWNLOADS,
  devicesFor,
  JS_ERRORS,
  KIND_WEIGHT,
  PRODUCTS,
  type Product,
  type Region,
  SHOP_COLLECTIONS,
  SHOP_INFO_PAGES,
  SHOP_SEARCHES,
  type SiteKind,
  type Source,
  sourcesFor,
  VITALS,
} from "./catalog.ts";
import { Random, Weighted, zipf } from "./random.ts";

export interface DemoOptions {
  /** Exactly this many events are generated. */
  events: number;
  /** Events fall in [now - days, now]. */
  days: number;
  seed: number;
  sites: readonly DemoSite[];
  /** The time anchor, epoch ms. */
  now: number;
  /** Makes event ids unique across runs: 18 hex digits, see newRunId(). */
  runId: string;
  /** Rows per batch (default 1000); a batch may run over by the events of one visitor. */
  batchSize?: number;
}

/** The tracker's SCRIPT_VERSION, as a real tracker would send it. */
export const TRACKER_VERSION = "1";
/** The tracker starts a new session after 30 minutes without activity. */

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Share of visitors that are crawlers running JavaScript. */
const BOT_SHARE = 0.045;
/** Longest pause between two events of one session; below the session timeout. */
const MAX_PAUSE_MS = 25 * MINUTE;

/** A fresh run id: 72 random bits, so event ids of two runs never collide. */
export function newRunId(): string {
  return randomBytes(9).toString("hex");
}

interface Behaviour {
  /** Chance that a visitor comes back for more sessions. */
  returnRate: number;
  /** Mean number of sessions after the second, for visitors who come back. */
  moreSessions: number;
  /** Mean pause between two sessions of one visitor. */
  gapMs: number;
  /** Traffic at the end of the range relative to its start, minus one. */
  growth: number;
}

const BEHAVIOUR: Record<SiteKind, Behaviour> = {
  shop: { returnRate: 0.3, moreSessions: 1.5, gapMs: 4 * DAY, growth: 0.25 },
  blog: { returnRate: 0.25, moreSessions: 2, gapMs: 5 * DAY, growth: 0.15 },
  docs: { returnRate: 0.45, moreSessions: 3, gapMs: 2 * DAY, growth: 0.3 },
};

interface SiteModel {
  site: DemoSite;
  behaviour: Behaviour;
  firstSources: Weighted<Source>;
  returningSources: Weighted<Source>;
  devices: Weighted<DeviceInfo>;
  hourly: readonly number[];
  weekly: readonly number[];
  /** A factor per UTC day of the range, so no two days look alike. */
  dayNoise: Float64Array;
  maxWeight: number;
  /** Every page, for crawlers. */
  allPages: readonly string[];
}

interface Visitor {
  id: string;
  userId: string;
  country: string;
  region: string;
  city: string;
  language: string;
  currency: string;
  device: DeviceInfo;
  offsetMs: number;
}

interface Session {
  id: string;
  source: Source;
  pageviews: number;
}

const DIRECT: Source = {
  channel: "direct",
  referrer: "",
  referrer_domain: "",
  query: "",
  utm_source: "",
  utm_medium: "",
  utm_campaign: "",
  utm_term: "",
  utm_content: "",
};

const products = zipf(PRODUCTS, 0.9);
const collections = zipf(SHOP_COLLECTIONS, 0.8);
const posts = zipf(BLOG_POSTS, 1.05);
const docs = zipf(DOC_PAGES, 0.85);
const READING_DEPTHS = [25, 50, 50, 75, 75, 90, 100, 100];
const PRODUCT_DEPTHS = [25, 50, 75, 75, 100];
const OTHER_DEPTHS = [0, 25, 50, 50, 75, 100];
const FULL_DEPTH = [100];
const PRODUCT_BY_PATH = new Map(PRODUCTS.map((p) => [`/products/${p.slug}`, p]));

const jsErrors = new Weighted(JS_ERRORS);
/** Share of page loads whose site runs the vitals plugin and whose browser reports vitals. */
const VITALS_SHARE = 0.3;
/** Share of page loads that hit a JavaScript error. */
const ERROR_SHARE = 0.006;
/** Share of landings on an old link that now answers 404. */
const BROKEN_SHARE = 0.012;

/**
 * The demo simulation: visitors arrive following each site's daily and weekly rhythm, come back
 * in later sessions, and click through pages and custom events. Pure apart from the options:
 * the same options give the same rows.
 */
class Simulation {
  readonly #rng: Random;
  readonly #limit: number;
  readonly #start: number;
  readonly #end: number;
  /** Visitors may have started before the range, so early days have returning visitors too. */
  readonly #warmStart: number;
  readonly #firstDay: number;
  readonly #idPrefix: string;
  readonly #sites: Weighted<SiteModel>;
  readonly #countries: Weighted<Country>;
  readonly #regions: Map<Country, Weighted<Region>>;
  readonly #languages: Map<Country, Weighted<string>>;
  readonly #bots: Weighted<DeviceInfo>;
  readonly #botRegions: Weighted<readonly [string, Region]>;
  #counter = 0;
  #emitted = 0;
  #rows: EventRow[] = [];
  // The visit being simulated.
  #model!: SiteModel;
  #visitor!: Visitor;
  #session!: Session;
  #path = "/";
  #t = 0;
  #stopped = false;
  // The page being viewed: when it opened, when the visitor leaves it, how far they scroll.
  #pageStart = 0;
  #pageEnd = 0;
  #depth = 0;
  /** Whether the current page load reports web vitals. */
  #vitals = false;
  #minute = -1;
  #minutePrefix = "";

  constructor(o: DemoOptions) {
    this.#rng = new Random(o.seed);
    this.#limit = o.events;
    this.#end = Math.floor(o.now);
    this.#start = this.#end - Math.round(o.days * DAY);
    this.#warmStart = this.#start - Math.min(o.days, 14) * DAY;
    this.#firstDay = Math.floor(this.#warmStart / DAY);
    const r = o.runId;
    this.#idPrefix = `${r.slice(0, 8)}-${r.slice(8, 12)}-4${r.slice(12, 15)}-a${r.slice(15, 18)}-`;

    const dayCount = Math.floor(this.#end / DAY) - this.#firstDay + 1;
    this.#sites = new Weighted(
      o.sites.map((site) => [this.#siteModel(site, o.sites, dayCount), KIND_WEIGHT[site.kind]]),
    );
    this.#countries = new Weighted(COUNTRIES.map((c) => [c, c.weight]));
    this.#regions = new Map(COUNTRIES.map((c) => [c, new Weighted(c.regions)]));
    this.#languages = new Map(COUNTRIES.map((c) => [c, new Weighted(c.languages)]));
    this.#bots = new Weighted(botDevices());
    this.#botRegions = new Weighted(BOT_REGIONS.map(([c, reg, w]) => [[c, reg] as const, w]));
  }

  #siteModel(site: DemoSite, all: readonly DemoSite[], dayCount: number): SiteModel {
    const { first, returning } = sourcesFor(site, all);
    const devices = devicesFor(site.kind);
    const { hourly, weekly } = ACTIVITY[site.kind];
    const behaviour = BEHAVIOUR[site.kind];
    const dayNoise = new Float64Array(dayCount);
    let noiseMax = 0;
    for (let i = 0; i < dayCount; i++) {
      dayNoise[i] = 0.85 + 0.3 * this.#rng.next();
      noiseMax = Math.max(noiseMax, dayNoise[i]!);
    }
    const allPages =
      site.kind === "shop"
        ? [
            "/",
            ...PRODUCT_BY_PATH.keys(),
            ...SHOP_COLLECTIONS.map((c) => `/collections/${c}`),
            ...SHOP_INFO_PAGES,
          ]
        : site.kind === "blog"
          ? ["/", ...BLOG_POSTS, ...BLOG_TAGS.map((t) => `/tags/${t}`), ...BLOG_OTHER_PAGES]
          : ["/", ...DOC_PAGES, ...DOCS_OTHER_PAGES];
    return {
      site,
      behaviour,
      firstSources: new Weighted(first),
      returningSources: new Weighted(returning),
      devices: new Weighted(devices),
      hourly,
      weekly,
      dayNoise,
      maxWeight: Math.max(...hourly) * Math.max(...weekly) * (1 + behaviour.growth) * noiseMax,
      allPages,
    };
  }

  get done(): boolean {
    return this.#emitted >= this.#limit;
  }

  /** Simulates visitors until at least `size` rows are ready (or all events are made). */
  fill(size: number): EventRow[] {
    this.#rows = [];
    while (this.#rows.length < size && !this.done) this.#visit();
    return this.#rows;
  }

  // --- time ------------------------------------------------------------------------------------

  /** How busy the site is at time t for someone `offsetMs` from UTC. */
  #activity(m: SiteModel, t: number, offsetMs: number): number {
    const local = t + offsetMs;
    const hour = Math.floor(local / HOUR) % 24;
    const weekday = (Math.floor(local / DAY) + 4) % 7; // 1970-01-01 was a Thursday
    const noise = m.dayNoise[Math.floor(t / DAY) - this.#firstDay] ?? 1;
    const trend = 1 + (m.behaviour.growth * (t - this.#start)) / (this.#end - this.#start);
    return m.hourly[hour]! * m.weekly[weekday]! * noise * trend;
  }

  /** A time in [from, to] drawn in proportion to the site's activity (rejection sampling). */
  #sampleTime(m: SiteModel, from: number, to: number, offsetMs: number): number {
    const rng = this.#rng;
    for (let i = 0; i < 100; i++) {
      const t = Math.floor(from + rng.next() * (to - from));
      if (rng.next() * m.maxWeight < this.#activity(m, t, offsetMs)) return t;
    }
    return Math.floor(from + rng.next() * (to - from));
  }

  /** When a returning visitor's next session starts: always after the session timeout. */
  #nextSession(m: SiteModel, last: number, offsetMs: number): number {
    const rng = this.#rng;
    for (let i = 0; i < 100; i++) {
      const sameDay = rng.chance(0.25);
      const gap = SESSION_TIMEOUT_MS + MINUTE + rng.exp(sameDay ? 3 * HOUR : m.behaviour.gapMs);
      const t = Math.floor(last + gap);
      if (t > this.#end) return t;
      if (rng.next() * m.maxWeight < this.#activity(m, t, offsetMs)) return t;
    }
    return last + DAY;
  }

  // --- visitors and sessions ------------------------------------------------------------------

  #visit(): void {
    const rng = this.#rng;
    const m = this.#sites.pick(rng);
    this.#model = m;
    if (rng.chance(BOT_SHARE)) {
      this.#crawl(m);
      return;
    }
    const country = this.#countries.pick(rng);
    const region = this.#regions.get(country)!.pick(rng);
    this.#visitor = {
      id: rng.uuid(),
      userId: "",
      country: country.code,
      region: region.code,
      city: rng.pick(region.cities),
      language: this.#languages.get(country)!.pick(rng),
      currency: country.currency,
      device: m.devices.pick(rng),
      offsetMs: region.utcOffset * HOUR,
    };
    const b = m.behaviour;
    const sessions = rng.chance(b.returnRate)
      ? Math.min(60, 2 + Math.floor(rng.exp(b.moreSessions)))
      : 1;
    let t = this.#sampleTime(m, this.#warmStart, this.#end, this.#visitor.offsetMs);
    for (let i = 0; i < sessions && t <= this.#end && !this.done; i++) {
      // Sessions before the range are not written, but the visitor has still been here before.
      const last = t >= this.#start ? this.#runSession(t, i === 0) : t + rng.exp(5 * MINUTE);
      t = this.#nextSession(m, last, this.#visitor.offsetMs);
    }
  }

  #runSession(start: number, firstVisit: boolean): number {
    const rng = this.#rng;
    const m = this.#model;
    const source = (firstVisit ? m.firstSources : m.returningSources).pick(rng);
    this.#session = { id: rng.uuid(), source, pageviews: 0 };
    this.#t = start;
    this.#stopped = false;
    if (m.site.kind === "shop") this.#shopSession();
    else if (m.site.kind === "blog") this.#blogSession();
    else this.#docsSession();
    return this.#t;
  }

  /** A crawler that runs JavaScript: one quick session over arbitrary pages, at any hour. */
  #crawl(m: SiteModel): void {
    const rng = this.#rng;
    const [country, region] = this.#botRegions.pick(rng);
    this.#visitor = {
      id: rng.uuid(),
      userId: "",
      country,
      region: region.code,
      city: rng.pick(region.cities),
      language: rng.chance(0.7) ? "en-US" : "",
      currency: "USD",
      device: this.#bots.pick(rng),
      offsetMs: region.utcOffset * HOUR,
    };
    this.#session = { id: rng.uuid(), source: DIRECT, pageviews: 0 };
    this.#t = Math.floor(this.#start + rng.next() * (this.#end - this.#start));
    this.#stopped = false;
    const pages = 1 + rng.int(8);
    for (let i = 0; i < pages && !this.#stopped; i++) {
      if (i > 0) this.#t += 300 + rng.int(5000);
      this.#pageview(rng.pick(m.allPages));
    }
  }

  // --- events ----------------------------------------------------------------------------------

  #pageview(path: string): void {
    this.#path = path;
    this.#emit("pageview", {});
    this.#session.pageviews++;
  }

  /** Writes one row at the current time; stops the session once past `now` or the event count. */
  #emit(
    name: string,
    props: Record<string, string>,
    revenue = 0,
    currency = "",
    engagedMs = 0,
    scrollDepth = 0,
  ): void {
    if (this.#stopped) return;
    const t = this.#t;
    if (t > this.#end || this.#emitted >= this.#limit) {
      this.#stopped = true;
      return;
    }
    const v = this.#visitor;
    const s = this.#session;
    const d = v.device;
    const host = this.#model.site.id;
    // Events on the landing page carry its referrer and tags; later pages are internal
    // navigation, which the collector stores without a referrer (channel "direct").
    const onLanding = name === "pageview" ? s.pageviews === 0 : s.pageviews <= 1;
    const src = onLanding ? s.source : DIRECT;
    this.#rows.push({
      event_id: this.#idPrefix + (this.#counter++).toString(16).padStart(12, "0"),
      site_id: host,
      // A right clock and a short trip: the event's time is its client time (edge event-time.ts).
      ts: this.#stamp(t),
      received_at: this.#stamp(Math.min(this.#end, t + 20 + this.#rng.int(900))),
      client_ts: this.#stamp(t),
      name,
      visitor_id: v.id,
      session_id: s.id,
      user_id: v.userId,
      hostname: host,
      pathname: this.#path,
      query: src.query,
      referrer: src.referrer,
      referrer_domain: src.referrer_domain,
      channel: src.channel,
      utm_source: src.utm_source,
      utm_medium: src.utm_medium,
      utm_campaign: src.utm_campaign,
      utm_term: src.utm_term,
      utm_content: src.utm_content,
      country: v.country,
      region: v.region,
      city: v.city,
      browser: d.browser,
      browser_version: d.browser_version,
      os: d.os,
      os_version: d.os_version,
      device: d.device,
      language: v.language,
      is_bot: d.is_bot,
      props,
      revenue,
      currency,
      engaged_ms: engagedMs,
      scroll_depth: scrollDepth,
      tracker_version: TRACKER_VERSION,
    });
    this.#emitted++;
  }

  /** formatTimestamp(ms), reusing the formatted minute: most stamps fall in the previous one's. */
  #stamp(ms: number): string {
    const minute = Math.floor(ms / MINUTE);
    if (minute !== this.#minute) {
      this.#minute = minute;
      this.#minutePrefix = formatTimestamp(minute * MINUTE).slice(0, 17);
    }
    const rest = ms - minute * MINUTE;
    const seconds = Math.floor(rest / SECOND);
    const millis = rest - seconds * SECOND;
    return `${this.#minutePrefix}${seconds < 10 ? "0" : ""}${seconds}.${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}`;
  }

  /** Opens a page: a pageview now; the visitor stays about `meanSeconds` and scrolls to a depth. */
  #open(path: string, meanSeconds: number, depths: readonly number[]): void {
    const rng = this.#rng;
    // A landing on an old link meets the 404 page first, then follows its link onwards.
    if (this.#session.pageviews === 0 && rng.chance(BROKEN_SHARE)) {
      this.#pageview(rng.pick(BROKEN_PATHS));
      this.#emit("404", {});
      this.#t += 4 * SECOND + rng.int(20 * SECOND);
    }
    this.#pageview(path);
    this.#pageStart = this.#t;
    const stay = Math.min(MAX_PAUSE_MS, 2 * SECOND + rng.exp(meanSeconds * SECOND));
    this.#pageEnd = this.#t + Math.floor(stay);
    this.#depth = rng.pick(depths);
    this.#vitals = rng.chance(VITALS_SHARE);
    if (this.#vitals) this.#loadVitals();
    if (rng.chance(ERROR_SHARE)) {
      this.#during(0.1);
      this.#emit("error", { ...jsErrors.pick(rng) });
    }
  }

  /** The vitals a page load reports at once (TTFB, FCP, LCP), each from a skewed spread. */
  #loadVitals(): void {
    for (const v of VITALS) if (v.metric !== "CLS" && v.metric !== "INP") this.#vital(v);
  }

  #vital(v: (typeof VITALS)[number]): void {
    const rng = this.#rng;
    // Lognormal-like: the median times e^(σ·z), z roughly normal from three uniforms.
    const z = (rng.next() + rng.next() + rng.next() - 1.5) * 2;
    const value = v.median * Math.exp(0.55 * z);
    const rounded = v.metric === "CLS" ? Math.round(value * 1000) / 1000 : Math.round(value);
    const rating = rounded <= v.good ? "good" : rounded <= v.poor ? "needs-improvement" : "poor";
    this.#emit("web_vital", { metric: v.metric, value: String(rounded), rating });
  }

  /** Moves the clock to `share` of the visitor's time on the current page. */
  #during(share: number): void {
    const at = this.#pageStart + Math.floor(share * (this.#pageEnd - this.#pageStart));
    this.#t = Math.max(this.#t, at);
  }

  /** Leaves the page: the tracker reports engaged time and scroll depth, then the next page loads. */
  #leave(): void {
    const rng = this.#rng;
    this.#t = Math.max(this.#t, this.#pageEnd);
    // Layout shift always, interaction latency when the visitor interacted, as the page hides.
    if (this.#vitals) {
      for (const v of VITALS) {
        if (v.metric === "CLS" || (v.metric === "INP" && rng.chance(0.6))) this.#vital(v);
      }
    }
    // Some reports never arrive (tab killed, beacon refused).
    if (rng.chance(0.92)) {
      const engaged = Math.floor((this.#t - this.#pageStart) * (0.45 + 0.5 * rng.next()));
      this.#emit("engagement", {}, 0, "", engaged, this.#depth);
    }
    this.#t += 250 + rng.int(2500);
  }

  /** A scroll milestone, when the visitor read far enough. */
  #scrollMilestone(chance: number): void {
    if (this.#depth < 75 || !this.#rng.chance(chance)) return;
    this.#during(0.8);
    this.#emit("scroll", {}, 0, "", 0, this.#depth);
  }

  #identify(prefix: string): void {
    if (!this.#visitor.userId) {
      this.#visitor.userId = `${prefix}_${this.#rng.hex(8)}${this.#rng.hex(4)}`;
    }
  }

  // --- site flows ------------------------------------------------------------------------------

  #shopSession(): void {
    const rng = this.#rng;
    const channel = this.#session.source.channel;
    const r = rng.next();
    const product = () => `/products/${products.pick(rng).slug}`;
    const collection = () => `/collections/${collections.pick(rng)}`;
    let page: string;
    if (channel === "direct") {
      page = r < 0.6 ? "/" : r < 0.8 ? product() : r < 0.93 ? collection() : "/account";
    } else if (channel === "email") {
      page = r < 0.45 ? "/collections/sale" : r < 0.8 ? product() : "/";
    } else if (channel === "organic_search") {
      page = r < 0.55 ? product() : r < 0.8 ? collection() : "/";
    } else if (channel === "organic_social" || channel === "referral") {
      page = r < 0.6 ? product() : r < 0.8 ? "/" : collection();
    } else {
      page = r < 0.6 ? product() : collection();
    }

    for (let n = 0; n < 30 && !this.#stopped; n++) {
      const item = PRODUCT_BY_PATH.get(page);
      this.#open(page, item ? 50 : 30, item ? PRODUCT_DEPTHS : OTHER_DEPTHS);
      if (item && rng.chance(0.1)) {
        this.#during(0.7);
        this.#emit("add_to_cart", { product: item.slug, price: item.price });
        if (rng.chance(0.65)) {
          this.#leave();
          this.#checkout(item);
          return;
        }
      } else if (page === "/search") {
        this.#during(0.2);
        this.#emit("search", { query: rng.pick(SHOP_SEARCHES) });
      }
      const more = rng.chance(n === 0 ? 0.55 : 0.68);
      this.#leave();
      if (!more) return;
      const next = rng.next();
      page =
        next < 0.55
          ? product()
          : next < 0.73
            ? collection()
            : next < 0.81
              ? "/"
              : next < 0.88
                ? "/search"
                : next < 0.96
                  ? rng.pick(SHOP_INFO_PAGES)
                  : "/account";
    }
  }

  #checkout(item: Product): void {
    const rng = this.#rng;
    this.#open("/cart", 25, OTHER_DEPTHS);
    const proceed = rng.chance(0.62);
    this.#leave();
    if (!proceed) return;
    this.#open("/checkout", 150, FULL_DEPTH);
    if (rng.chance(0.3)) {
      this.#during(0.3);
      this.#identify("cus");
      this.#emit("form", { form: "checkout-account", action: "/checkout" });
      this.#emit("signup", { method: rng.pick(["email", "email", "google", "apple"]) });
    }
    const pays = rng.chance(0.7);
    if (pays) {
      this.#during(0.95);
      const quantity = rng.chance(0.82) ? 1 : rng.between(2, 3);
      const revenue = Math.round(Number(item.price) * quantity * 100) / 100;
      this.#emit(
        "purchase",
        { product: item.slug, quantity: String(quantity) },
        revenue,
        this.#visitor.currency,
      );
    }
    this.#leave();
    if (pays) {
      this.#open("/checkout/success", 20, OTHER_DEPTHS);
      this.#leave();
    }
  }

  #blogSession(): void {
    const rng = this.#rng;
    const channel = this.#session.source.channel;
    let page =
      channel === "direct" && rng.chance(0.5)
        ? "/"
        : channel === "email" && rng.chance(0.1)
          ? "/newsletter"
          : posts.pick(rng);
    for (let n = 0; n < 20 && !this.#stopped; n++) {
      if (page.startsWith("/posts/")) {
        this.#open(page, 150, READING_DEPTHS);
        this.#scrollMilestone(0.7);
        if (rng.chance(0.07)) {
          this.#during(0.9);
          this.#emit("outbound", { url: rng.pick(BLOG_OUTBOUND) });
        }
        if (rng.chance(0.008)) {
          this.#during(0.95);
          this.#emit("form", { form: "newsletter-inline", action: "/subscribe" });
          this.#emit("signup", { plan: "newsletter" });
        }
      } else {
        this.#open(page, 35, OTHER_DEPTHS);
        if (page === "/newsletter" && rng.chance(0.22)) {
          this.#during(0.7);
          this.#emit("form", { form: "newsletter", action: "/subscribe" });
          this.#emit("signup", { plan: rng.chance(0.9) ? "newsletter" : "supporter" });
        }
      }
      const more = rng.chance(n === 0 ? 0.3 : 0.45);
      this.#leave();
      if (!more) return;
      const next = rng.next();
      page =
        next < 0.75
          ? posts.pick(rng)
          : next < 0.85
            ? `/tags/${rng.pick(BLOG_TAGS)}`
            : next < 0.93
              ? "/"
              : rng.pick(BLOG_OTHER_PAGES);
    }
  }

  #docsSession(): void {
    const rng = this.#rng;
    const channel = this.#session.source.channel;
    const r = rng.next();
    let page: string;
    if (channel === "direct") page = r < 0.35 ? "/" : r < 0.85 ? docs.pick(rng) : "/download";
    else if (channel === "paid_search" || channel === "paid_social") {
      page = r < 0.5 ? "/pricing" : "/";
    } else if (channel === "email") page = r < 0.6 ? "/changelog" : docs.pick(rng);
    else page = r < 0.9 ? docs.pick(rng) : "/";

    for (let n = 0; n < 40 && !this.#stopped; n++) {
      if (page.startsWith("/docs/")) {
        this.#open(page, 80, READING_DEPTHS);
        if (rng.chance(0.16)) {
          this.#during(0.5);
          this.#emit("copy_code", { language: rng.pick(CODE_LANGUAGES) });
        }
        this.#scrollMilestone(0.3);
        if (rng.chance(0.05)) {
          this.#during(0.9);
          this.#emit("outbound", { url: rng.pick(DOCS_OUTBOUND) });
        }
      } else {
        this.#open(page, 30, OTHER_DEPTHS);
        if (page === "/download" && rng.chance(0.55)) {
          this.#during(0.4);
          this.#emit("download", { ...rng.pick(DOWNLOADS) });
        } else if (page === "/search") {
          this.#during(0.2);
          this.#emit("search", { query: rng.pick(DOCS_SEARCHES) });
        } else if (page === "/pricing" && rng.chance(0.2)) {
          this.#leave();
          this.#open("/signup", 60, FULL_DEPTH);
          if (rng.chance(0.6)) {
            this.#during(0.8);
            this.#identify("usr");
            const plan = rng.next();
            this.#emit("form", { form: "signup", action: "/signup" });
            this.#emit("signup", { plan: plan < 0.7 ? "free" : plan < 0.95 ? "pro" : "team" });
            this.#leave();
            this.#open("/docs/getting-started/quickstart", 120, READING_DEPTHS);
          }
        }
      }
      const more = rng.chance(n === 0 ? 0.62 : 0.74);
      this.#leave();
      if (!more) return;
      const next = rng.next();
      page =
        next < 0.72
          ? docs.pick(rng)
          : next < 0.82
            ? "/search"
            : next < 0.87
              ? "/"
              : rng.pick(DOCS_OTHER_PAGES);
    }
  }
}

function check(options: DemoOptions): void {
  const { events, days, now, runId, sites } = options;
  if (!Number.isSafeInteger(events) || events < 1)
    throw new RangeError("events must be a positive integer");
  if (!(days > 0)) throw new RangeError("days must be positive");
  if (!Number.isFinite(now)) throw new RangeError("now must be a time in epoch ms");
  if (!/^[0-9a-f]{18}$/.test(runId)) throw new RangeError("runId must be 18 lowercase hex digits");
  if (sites.length === 0) throw new RangeError("at least one site is needed");
}

/**
 * Demo events in batches, in memory one batch at a time: exactly `events` rows, all between
 * `now - days` and `now`, with valid EventRow fields throughout.
 */
export function* generateEvents(options: DemoOptions): Generator<EventRow[], void, undefined> {
  check(options);
  const simulation = new Simulation(options);
  // Small batches die young: the garbage collector then hardly ever copies rows.
  const size = options.batchSize ?? 1000;
  while (!simulation.done) yield simulation.fill(size);
}
