import type { EventRow } from "./row.ts";

/**
 * A complete, neutral event row for tests and benches (exported as @sightline/edge/testing):
 * a desktop Chrome pageview on example.com, with what the test cares about in `overrides`.
 */
export function eventRow({
  event_id,
  ...overrides
}: Partial<EventRow> & Pick<EventRow, "event_id">): EventRow {
  // Keys in column order, so a truncated line still starts with its event id.
  return {
    event_id,
    site_id: "example.com",
    ts: "2026-01-01 00:00:00.000",
    received_at: "2026-01-01 00:00:00.000",
    client_ts: "2026-01-01 00:00:00.000",
    name: "pageview",
    visitor_id: "v",
    session_id: "s",
    user_id: "",
    hostname: "example.com",
    pathname: "/",
    query: "",
    referrer: "",
    referrer_domain: "",
    channel: "direct",
    utm_source: "",
    utm_medium: "",
    utm_campaign: "",
    utm_term: "",
    utm_content: "",
    country: "",
    region: "",
    city: "",
    browser: "Chrome",
    browser_version: "140",
    os: "Linux",
    os_version: "",
    device: "desktop",
    language: "en",
    is_bot: 0,
    props: {},
    revenue: 0,
    currency: "",
    engaged_ms: 0,
    scroll_depth: 0,
    tracker_version: "1",
    ...overrides,
  };
}
