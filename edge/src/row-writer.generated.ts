// Generated from the column table (columns.ts) by edge/codegen/row-writer.ts. Do not edit:
// after changing the table run `npx --yes pnpm@12.21.0 --filter @sightline/edge generate`.
import { numberValue, objectValue, stringValue } from "./json-values.ts";
import type { EventRow } from "./row.ts";

/** The column runs as serialised for the previous row, and a copy of that row. */
export interface Runs {
  row: EventRow | null;
  from_site_id: string;
  from_ts: string;
  from_name: string;
  from_visitor_id: string;
  from_hostname: string;
  from_country: string;
  from_revenue: string;
}

export function emptyRuns(): Runs {
  return {
    row: null,
    from_site_id: "",
    from_ts: "",
    from_name: "",
    from_visitor_id: "",
    from_hostname: "",
    from_country: "",
    from_revenue: "",
  };
}

/**
 * Appends the row's line to `parts`, rewriting only the runs whose values differ from the
 * previous row's. Throws IRREGULAR for a value outside the row type, with `parts` untouched and
 * `runs.row` cleared. Runs are built with `join`, which makes a flat string: one built with `+`
 * is a tree of pieces that every line copying it walks again.
 */
export function writeLine(r: EventRow, runs: Runs, parts: string[]): void {
  const p = runs.row;
  // Cleared first: should a value below throw, no later row may reuse half-updated runs.
  runs.row = null;
  if (!p || r.site_id !== p.site_id) {
    runs.from_site_id = [
      ',"site_id":',
      stringValue(r.site_id),
    ].join("");
  }
  if (
    !p ||
    r.ts !== p.ts ||
    r.received_at !== p.received_at ||
    r.client_ts !== p.client_ts
  ) {
    runs.from_ts = [
      ',"ts":',
      stringValue(r.ts),
      ',"received_at":',
      stringValue(r.received_at),
      ',"client_ts":',
      stringValue(r.client_ts),
    ].join("");
  }
  if (!p || r.name !== p.name) {
    runs.from_name = [
      ',"name":',
      stringValue(r.name),
    ].join("");
  }
  if (
    !p ||
    r.visitor_id !== p.visitor_id ||
    r.session_id !== p.session_id ||
    r.user_id !== p.user_id
  ) {
    runs.from_visitor_id = [
      ',"visitor_id":',
      stringValue(r.visitor_id),
      ',"session_id":',
      stringValue(r.session_id),
      ',"user_id":',
      stringValue(r.user_id),
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
    runs.from_hostname = [
      ',"hostname":',
      stringValue(r.hostname),
      ',"pathname":',
      stringValue(r.pathname),
      ',"query":',
      stringValue(r.query),
      ',"referrer":',
      stringValue(r.referrer),
      ',"referrer_domain":',
      stringValue(r.referrer_domain),
      ',"channel":',
      stringValue(r.channel),
      ',"utm_source":',
      stringValue(r.utm_source),
      ',"utm_medium":',
      stringValue(r.utm_medium),
      ',"utm_campaign":',
      stringValue(r.utm_campaign),
      ',"utm_term":',
      stringValue(r.utm_term),
      ',"utm_content":',
      stringValue(r.utm_content),
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
    r.language !== p.language ||
    r.is_bot !== p.is_bot
  ) {
    runs.from_country = [
      ',"country":',
      stringValue(r.country),
      ',"region":',
      stringValue(r.region),
      ',"city":',
      stringValue(r.city),
      ',"browser":',
      stringValue(r.browser),
      ',"browser_version":',
      stringValue(r.browser_version),
      ',"os":',
      stringValue(r.os),
      ',"os_version":',
      stringValue(r.os_version),
      ',"device":',
      stringValue(r.device),
      ',"language":',
      stringValue(r.language),
      ',"is_bot":',
      numberValue(r.is_bot),
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
    runs.from_revenue = [
      ',"revenue":',
      numberValue(r.revenue),
      ',"currency":',
      stringValue(r.currency),
      ',"engaged_ms":',
      numberValue(r.engaged_ms),
      ',"scroll_depth":',
      numberValue(r.scroll_depth),
      ',"tracker_version":',
      stringValue(r.tracker_version),
    ].join("");
  }
  const event_id = stringValue(r.event_id);
  const props = objectValue(r.props);
  parts.push(
    '{"event_id":',
    event_id,
    runs.from_site_id,
    runs.from_ts,
    runs.from_name,
    runs.from_visitor_id,
    runs.from_hostname,
    runs.from_country,
    ',"props":',
    props,
    runs.from_revenue,
    "}\n",
  );
  runs.row = r;
}
