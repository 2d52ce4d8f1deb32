import type { ClickHouseClient } from "@clickhouse/client";
import { DATABASE } from "@sightline/config";

/**
 * The rollups (sightline.events_hourly: uniqExact states; sightline.visitor_slots: min, max and
 * set union) merge idempotently, so re-inserting rows computed from the source changes nothing
 * that is already there. That makes repair safe while the materialized views keep writing, and
 * after a crash that left a view behind its source.
 */
export interface HourRange {
  /** Inclusive, `YYYY-MM-DD HH:MM:SS` UTC. */
  from: string;
  /** Exclusive. */
  to: string;
  site?: string;
}

const SITE = "({site:String} = '' OR site_id = {site:String})";
const RANGE = `ts >= toDateTime64({from:String}, 3, 'UTC') AND ts < toDateTime64({to:String}, 3, 'UTC')
  AND ${SITE}`;

/** The range's rows of visitor_slots as its view (config/clickhouse 0010) writes them. */
const SLOT_ROWS = `SELECT site_id, visitor_id, toStartOfInterval(ts, toIntervalMinute(30)) AS slot,
    min(ts) AS first_ts, max(ts) AS last_ts,
    groupUniqArrayIf(sipHash64(event_id), name = 'pageview') AS pageviews
  FROM ${DATABASE}.events
  WHERE is_bot = 0 AND ${RANGE}
  GROUP BY site_id, visitor_id, slot`;

/** The same rows the views write (config/clickhouse 0006 and 0010), for a range of events. */
const REBUILDS = [
  `INSERT INTO ${DATABASE}.events_hourly
    SELECT site_id, toStartOfHour(ts) AS hour, name,
      uniqExactState(event_id), uniqExactState(visitor_id), uniqExactState(session_id)
    FROM ${DATABASE}.events
    WHERE is_bot = 0 AND ${RANGE}
    GROUP BY site_id, hour, name`,
  `INSERT INTO ${DATABASE}.visitor_slots ${SLOT_ROWS}`,
];

/** Re-inserts rollup rows for the range from sightline.events (human traffic). */
export async function rebuildRollups(client: ClickHouseClient, range: HourRange): Promise<void> {
  for (const query of REBUILDS) {
    await client.command({
      query,
      query_params: { from: range.from, to: range.to, site: range.site ?? "" },
      clickhouse_settings: { async_insert: 0 },
    });
  }
}

export interface RollupMismatch {
  site_id: string;
  hour: string;
  /** The event name (hourly rollup), or "visitor_slots". */
  name: string;
  source: number;
  rollup: number;
}

/** Hours whose distinct event ids in the hourly rollup differ from the source. */
const HOURLY_CHECK = `SELECT site_id, toString(hour) AS hour, name, s.n AS source, r.n AS rollup
  FROM (
    SELECT site_id, toStartOfHour(ts) AS hour, name, uniqExact(event_id) AS n
    FROM ${DATABASE}.events WHERE is_bot = 0 AND ${RANGE}
    GROUP BY site_id, hour, name
  ) AS s
  FULL OUTER JOIN (
    SELECT site_id, hour, name, uniqExactMerge(events) AS n
    FROM ${DATABASE}.events_hourly
    WHERE hour >= toDateTime({from:String}, 'UTC') AND hour < toDateTime({to:String}, 'UTC')
      AND ${SITE}
    GROUP BY site_id, hour, name
  ) AS r USING (site_id, hour, name)
  WHERE s.n != r.n`;

/**
 * Hours where some visitor's half hour in visitor_slots is missing or differs from the source
 * (first or last event time, pageview ids): `source` counts the visitor half hours in the
 * events, `rollup` those the rollup holds exactly.
 */
const SLOTS_CHECK = `SELECT site_id, toString(toStartOfHour(slot)) AS hour, 'visitor_slots' AS name,
    count() AS source,
    countIf(s.first_ts = r.f AND s.last_ts = r.l AND arraySort(s.pageviews) = r.p) AS rollup
  FROM (${SLOT_ROWS}) AS s
  LEFT JOIN (
    SELECT site_id, visitor_id, slot, min(first_ts) AS f, max(last_ts) AS l,
      arraySort(groupUniqArrayArray(pageviews)) AS p
    FROM ${DATABASE}.visitor_slots
    WHERE slot >= toDateTime({from:String}, 'UTC') AND slot < toDateTime({to:String}, 'UTC')
      AND ${SITE}
    GROUP BY site_id, visitor_id, slot
  ) AS r USING (site_id, visitor_id, slot)
  GROUP BY site_id, hour
  HAVING source != rollup`;

/** Hours where a rollup differs from the raw events; empty when every rollup is in step. */
export async function checkRollups(
  client: ClickHouseClient,
  range: HourRange,
): Promise<RollupMismatch[]> {
  const rs = await client.query({
    query: `SELECT * FROM (${HOURLY_CHECK} UNION ALL ${SLOTS_CHECK}) ORDER BY site_id, hour, name`,
    query_params: { from: range.from, to: range.to, site: range.site ?? "" },
    format: "JSONEachRow",
  });
  return (await rs.json<RollupMismatch>()).map((r) => ({
    ...r,
    source: Number(r.source),
    rollup: Number(r.rollup),
  }));
}

/** The whole hours around two `YYYY-MM-DD HH:MM:SS(.mmm)` UTC times, as a range. */
export function hoursAround(min: string, max: string): HourRange {
  const from = `${min.slice(0, 13)}:00:00`;
  const end = Date.parse(`${max.slice(0, 13).replace(" ", "T")}:00:00Z`) + 3_600_000;
  const to = new Date(end).toISOString().slice(0, 19).replace("T", " ");
  return { from, to };
}
