import { type EventRow, emptyRow } from "./row.ts";

/**
 * A complete, neutral event row for tests and benches (exported as @sightline/edge/testing):
 * a desktop Chrome pageview on example.com, with what the test cares about in `overrides`.
 */
export function eventRow({
  event_id,
  ...overrides
}: Partial<EventRow> & Pick<EventRow, "event_id">): EventRow {
  return {
    ...emptyRow(),
    event_id,
    site_id: "example.com",
    ts: "2026-01-01 00:00:00.000",
    received_at: "2026-01-01 00:00:00.000",
    client_ts: "2026-01-01 00:00:00.000",
    visitor_id: "v",
    session_id: "s",
    hostname: "example.com",
    pathname: "/",
    channel: "direct",
    browser: "Chrome",
    browser_version: "140",
    os: "Linux",
    language: "en",
    tracker_version: "1",
    ...overrides,
  };
}
