import type { EventRow } from "./row.ts";

/**
 * Event rows as NDJSON text: one line per row holding exactly the columns, in the order
 * `collect()` builds a row, so its rows come out byte for byte as `JSON.stringify` writes them.
 * `JSON.stringify` spends ~100 ns per property, and the rows of one batch repeat most values
 * (site, page, geo, device), so each run of columns is written once and reused while its values
 * stay equal.
 */

/** A JSON string literal, as `JSON.stringify` writes it; short plain text skips its call cost. */
export function jsonString(text: string): string {
  if (text.length > 64) return JSON.stringify(text);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Quote, backslash and controls are escaped, lone surrogates too: leave those to V8.
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c & 0xf800) === 0xd800) {
      return JSON.stringify(text);
    }
  }
  return `"${text}"`;
}

/** Thrown for a value JSON.stringify would write differently (or leave out). */
const IRREGULAR = new Error("not an event row value");

function s(value: unknown): string {
  if (typeof value !== "string") throw IRREGULAR;
  return jsonString(value);
}

function n(value: unknown): string {
  if (typeof value !== "number" || !Number.isFinite(value)) throw IRREGULAR;
  return `${value}`;
}

/**
 * The serialised column runs of the previous row. Each is built with `join`, which makes a flat
 * string: one built with `+` is a tree of pieces that every line copying it walks again.
 */
interface Runs {
  row: EventRow | null;
  site: string;
  times: string;
  name: string;
  ids: string;
  place: string;
  client: string;
  tail: string;
}

/** Brings `runs` up to date for `r`; throws IRREGULAR before changing anything it reads. */
function updateRuns(r: EventRow, runs: Runs): void {
  const p = runs.row;
  // Reset first: should a value below throw, no later row may reuse half-updated runs.
  runs.row = null;
  if (!p || r.site_id !== p.site_id) runs.site = [',"site_id":', s(r.site_id)].join("");
  if (!p || r.ts !== p.ts || r.received_at !== p.received_at || r.client_ts !== p.client_ts) {
    runs.times = [
      ',"ts":',
      s(r.ts),
      ',"received_at":',
      s(r.received_at),
      ',"client_ts":',
      s(r.client_ts),
    ].join("");
  }
  if (!p || r.name !== p.name) runs.name = [',"name":', s(r.name)].join("");
  if (
    !p ||
    r.visitor_id !== p.visitor_id ||
    r.session_id !== p.session_id ||
    r.user_id !== p.user_id
  ) {
    runs.ids = [
      ',"visitor_id":',
      s(r.visitor_id),
      ',"session_id":',
      s(r.session_id),
      ',"user_id":',
      s(r.user_id),
    ].join("");
  }
  if (
    !p ||
    r.hostname !== p.hostname ||
    r.pathname !== p.pathname ||
    r.query !== p.query ||
    r.referrer !== p.referrer ||
    r.referrer_domain !== p.referrer_domain ||
    r.channel !== p.channel ||
    r.utm_source !== p.utm_source ||
    r.utm_medium !== p.utm_medium ||
    r.utm_campaign !== p.utm_campaign ||
    r.utm_term !== p.utm_term ||
    r.utm_content !== p.utm_content
  ) {
    runs.place = [
      ',"hostname":',
      s(r.hostname),
      ',"pathname":',
      s(r.pathname),
      ',"query":',
      s(r.query),
      ',"referrer":',
      s(r.referrer),
      ',"referrer_domain":',
      s(r.referrer_domain),
      ',"channel":',
      s(r.channel),
      ',"utm_source":',
      s(r.utm_source),
      ',"utm_medium":',
      s(r.utm_medium),
      ',"utm_campaign":',
      s(r.utm_campaign),
      ',"utm_term":',
      s(r.utm_term),
      ',"utm_content":',
      s(r.utm_content),
    ].join("");
  }
  if (
    !p ||
    r.country !== p.country ||
    r.region !== p.region ||
    r.city !== p.city ||
    r.browser !== p.browser ||
    r.browser_version !== p.browser_version ||
    r.os !== p.os ||
    r.os_version !== p.os_version ||
    r.device !== p.device ||
    r.is_bot !== p.is_bot ||
    r.language !== p.language
  ) {
    runs.client = [
      ',"country":',
      s(r.country),
      ',"region":',
      s(r.region),
      ',"city":',
      s(r.city),
      ',"browser":',
      s(r.browser),
      ',"browser_version":',
      s(r.browser_version),
      ',"os":',
      s(r.os),
      ',"os_version":',
      s(r.os_version),
      ',"device":',
      s(r.device),
      ',"is_bot":',
      n(r.is_bot),
      ',"language":',
      s(r.language),
    ].join("");
  }
  if (
    !p ||
    r.revenue !== p.revenue ||
    r.currency !== p.currency ||
    r.engaged_ms !== p.engaged_ms ||
    r.scroll_depth !== p.scroll_depth ||
    r.tracker_version !== p.tracker_version
  ) {
    runs.tail = [
      ',"revenue":',
      n(r.revenue),
      ',"currency":',
      s(r.currency),
      ',"engaged_ms":',
      n(r.engaged_ms),
      ',"scroll_depth":',
      n(r.scroll_depth),
      ',"tracker_version":',
      s(r.tracker_version),
      "}\n",
    ].join("");
  }
  runs.row = r;
}

/**
 * Kept from call to call: consecutive requests repeat runs too (a page, a browser). Values are
 * compared with a copy of the last row, so any row may follow.
 */
const runs: Runs = {
  row: null,
  site: "",
  times: "",
  name: "",
  ids: "",
  place: "",
  client: "",
  tail: "",
};

/** The rows as NDJSON: one line each, every line ending in "\n"; "" for no rows. */
export function ndjsonLines(rows: readonly EventRow[]): string {
  // One join copies every piece once into a flat string, ready to encode.
  const parts: string[] = [];
  for (const row of rows) {
    let id: string;
    let props: string | undefined;
    try {
      updateRuns(row, runs);
      id = s(row.event_id);
      props = JSON.stringify(row.props) as string | undefined;
      if (props === undefined) throw IRREGULAR;
    } catch (error) {
      if (error !== IRREGULAR) throw error;
      // A value outside the row type (a test's or a caller's): what JSON.stringify makes of it.
      runs.row = null;
      parts.push(JSON.stringify(row), "\n");
      continue;
    }
    parts.push(
      '{"event_id":',
      id,
      runs.site,
      runs.times,
      runs.name,
      runs.ids,
      runs.place,
      runs.client,
      ',"props":',
      props,
      runs.tail,
    );
  }
  // A copy: the caller may change its row objects before the next call.
  if (runs.row) runs.row = { ...runs.row };
  return parts.join("");
}
