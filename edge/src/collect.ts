import { WIRE_EVENT_FIELDS } from "@sightline/tracker/wire";
import { jsonDepth } from "./depth.ts";
import { eventTime } from "./event-time.ts";
import { cleanGeo, type GeoInfo, type GeoLookup, NO_GEO } from "./geo.ts";
import { cookielessVisitorId, type HmacHex, type SaltStore, utcDay } from "./hash.ts";
import { LIMITS } from "./limits.ts";
import { type Place, placeOf } from "./place.ts";
import { type EventRow, formatTimestamp } from "./row.ts";
import { type WireEvent, wireBatchSchema, wireEventSchema } from "./schema.ts";
import { looksLikeEmail, scrubText } from "./scrub.ts";
import { originAllowed, type SiteDirectory } from "./sites.ts";
import { type ClientHints, parseUserAgent } from "./useragent.ts";
import { quickWireBatch, quickWireEvent } from "./wire-check.ts";

export interface CollectInput {
  /** The raw request body (text/plain JSON). */
  body: string;
  /** The client address, already resolved through trusted proxies. Never stored. */
  ip: string;
  userAgent: string;
  /** The Origin header, when the browser sent one. */
  origin: string | null;
  /** Server receive time in epoch ms. */
  now: number;
  /**
   * The browser asked not to be tracked (`Sec-GPC: 1` or `DNT: 1`, when the operator honours
   * them): its own visitor and session ids are ignored and the cookieless daily id is used.
   */
  privacySignal?: boolean;
  /** Client hints (`Sec-CH-UA`, `Sec-CH-UA-Mobile`, `Sec-CH-UA-Platform`). */
  clientHints?: ClientHints;
  /** Geo values known from the platform (the Worker's `request.cf`); wins over `deps.geo`. */
  geo?: Partial<GeoInfo>;
}

export interface CollectDeps {
  salts: SaltStore;
  sites: SiteDirectory;
  /** IP → country (+ region, city) lookup, e.g. an MMDB file in Node. */
  geo?: GeoLookup;
  /** Query keys kept besides the built-in allowlist (lowercase). */
  extraQueryKeys?: ReadonlySet<string>;
  /** Ignore every tracker visitor id: all visitors get the cookieless daily id. */
  cookieless?: boolean;
  /**
   * HMAC-SHA-256 as hex for the cookieless visitor id; default Web Crypto (`hmacHex`). Node
   * passes node:crypto's synchronous one, which gives the same hex for far less work.
   */
  hmac?: HmacHex;
}

export type RejectCounts = Record<string, number>;

export type CollectResult =
  | { ok: true; rows: EventRow[]; rejected: RejectCounts }
  | { ok: false; status: 400 | 403 | 413; code: string; message: string; rejected: RejectCounts };

/** Rejections are counted as `invalid_<name>`, by the wire field's name (tracker/src/wire.ts). */
const FIELD_NAMES: Readonly<Record<string, string>> = WIRE_EVENT_FIELDS;

function fail(
  status: 400 | 403 | 413,
  code: string,
  message: string,
  rejected: RejectCounts = {},
): CollectResult {
  return { ok: false, status, code, message, rejected };
}

/** The answer to a body nested deeper than the limit; null for one that is not. */
function tooDeep(body: string): CollectResult | null {
  if (jsonDepth(body, LIMITS.maxDepth) <= LIMITS.maxDepth) return null;
  return fail(400, "TOO_DEEP", `body is nested deeper than ${LIMITS.maxDepth} levels`);
}

function count(rejected: RejectCounts, reason: string): void {
  rejected[reason] = (rejected[reason] ?? 0) + 1;
}

const encoder = new TextEncoder();

/** UTF-8 size; a UTF-16 unit is at most 3 bytes, so short texts need no encoding at all. */
function overLimit(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return encoder.encode(text).byteLength > limit;
}

function geoFor(input: CollectInput, deps: CollectDeps): GeoInfo {
  if (input.geo) return cleanGeo(input.geo);
  if (!deps.geo) return NO_GEO;
  try {
    return cleanGeo(deps.geo(input.ip));
  } catch {
    return NO_GEO;
  }
}

/**
 * The collector core: checks one ingest batch and turns its good events into rows.
 * Bad events are counted by reason and dropped; the rest of the batch is kept.
 */
export async function collect(input: CollectInput, deps: CollectDeps): Promise<CollectResult> {
  if (overLimit(input.body, LIMITS.bodyBytes)) {
    return fail(413, "BODY_TOO_LARGE", `body is larger than ${LIMITS.bodyBytes} bytes`);
  }
  // The nesting scan (~1 µs per KB) runs only off the fast paths: a body the quick checks accept
  // is never deeper than the limit. It still answers before any other complaint, as it used to.
  let json: unknown;
  try {
    json = JSON.parse(input.body);
  } catch {
    return tooDeep(input.body) ?? fail(400, "MALFORMED_BODY", "body is not valid JSON");
  }
  let envelope = quickWireBatch(json);
  if (!envelope) {
    const deep = tooDeep(input.body);
    if (deep) return deep;
    const batch = wireBatchSchema.safeParse(json);
    if (!batch.success) {
      const issue = batch.error.issues[0];
      const where = issue?.path.length ? issue.path.join(".") : "body";
      return fail(400, "INVALID_BATCH", `${where}: ${issue?.message ?? "invalid batch"}`);
    }
    envelope = batch.data;
  }
  const { s: siteId, sv: trackerVersion = "", c: sentAt, e: rawEvents } = envelope;

  const rejected: RejectCounts = {};
  const events: WireEvent[] = [];
  let depthChecked = false;
  for (const raw of rawEvents) {
    const quick = quickWireEvent(raw);
    if (quick) {
      events.push(quick);
      continue;
    }
    if (!depthChecked) {
      const deep = tooDeep(input.body);
      if (deep) return deep;
      depthChecked = true;
    }
    const parsed = wireEventSchema.safeParse(raw);
    if (parsed.success) {
      events.push(parsed.data);
      continue;
    }
    const key = String(parsed.error.issues[0]?.path[0] ?? "");
    count(rejected, `invalid_${FIELD_NAMES[key] ?? "event"}`);
  }

  const site = await deps.sites.get(siteId);
  if (!site) return fail(403, "UNKNOWN_SITE", `unknown site "${siteId}"`);
  if (input.origin !== null && input.origin !== "null" && !originAllowed(site, input.origin)) {
    return fail(403, "ORIGIN_NOT_ALLOWED", "origin is not one of the site's domains");
  }

  const salt = await deps.salts.saltFor(utcDay(input.now));
  const device = parseUserAgent(input.userAgent, input.clientHints);
  const geo = geoFor(input, deps);
  const receivedAt = formatTimestamp(input.now);
  const ignoreIds = input.privacySignal === true || deps.cookieless === true;
  let ipVisitor: string | undefined;
  const rows: EventRow[] = [];
  // The events of one batch mostly come from one page: then even the cache key need not be built.
  let last: { u: string; r: string | undefined; h: boolean; place: Place | null } | null = null;

  for (const event of events) {
    const at = eventTime(event.t, sentAt, input.now);
    if (at === null) {
      count(rejected, "timestamp_out_of_range");
      continue;
    }
    const hashRouting = event.h === 1;
    let place: Place | null;
    if (last && last.u === event.u && last.r === event.r && last.h === hashRouting) {
      place = last.place;
    } else {
      place = placeOf(event.u, event.r, hashRouting, site, deps.extraQueryKeys);
      last = { u: event.u, r: event.r, h: hashRouting, place };
    }
    if (!place) {
      count(rejected, "invalid_url");
      continue;
    }
    const { page } = place;
    const ownVisitor = ignoreIds ? undefined : event.v;
    ipVisitor ??= ownVisitor
      ? undefined
      : await cookielessVisitorId(salt, siteId, input.ip, input.userAgent, deps.hmac);
    const visitorId = ownVisitor ?? ipVisitor ?? "";
    const props: Record<string, string> = {};
    const p = event.p;
    if (p) {
      for (const key in p) {
        const value = p[key];
        props[scrubText(key)] = typeof value === "string" ? scrubText(value) : String(value);
      }
    }

    rows.push({
      event_id: event.i,
      site_id: siteId,
      ts: formatTimestamp(at),
      received_at: receivedAt,
      client_ts: formatTimestamp(event.t),
      name: event.n,
      visitor_id: visitorId,
      session_id: (ignoreIds ? undefined : event.x) ?? visitorId,
      user_id: event.w && !looksLikeEmail(event.w) ? event.w : "",
      hostname: page.hostname,
      pathname: page.pathname,
      query: page.query,
      referrer: place.referrer,
      referrer_domain: place.referrerDomain,
      channel: place.channel,
      utm_source: place.utmSource,
      utm_medium: place.utmMedium,
      utm_campaign: place.utmCampaign,
      utm_term: place.utmTerm,
      utm_content: place.utmContent,
      country: geo.country,
      region: geo.region,
      city: geo.city,
      browser: device.browser,
      browser_version: device.browser_version,
      os: device.os,
      os_version: device.os_version,
      // The tracker's automation flag (navigator.webdriver) makes any browser a bot.
      device: event.a === 1 ? "bot" : device.device,
      language: event.l ?? "",
      is_bot: event.a === 1 ? 1 : device.is_bot,
      props,
      revenue: event.m?.a ?? 0,
      currency: event.m?.c ?? "",
      engaged_ms: event.em ?? 0,
      scroll_depth: event.sd ?? 0,
      tracker_version: trackerVersion,
    });
  }

  if (rows.length === 0) {
    const reasons = Object.keys(rejected).join(", ");
    return fail(400, "NO_VALID_EVENTS", `no event in the batch was valid (${reasons})`, rejected);
  }
  return { ok: true, rows, rejected };
}
