import type { ClickHouseClient } from "@clickhouse/client";
import { DATABASE } from "@sightline/config";

/**
 * The hourly rollup (sightline.events_hourly) holds uniqExact states only, so re-inserting states
 * computed from the source is idempotent: it unions sets. That makes repair safe while the
 * materialized view keeps writing, and after a crash that left the view behind its source.
 */
export interface HourRange {
  /** Inclusive, `YYYY-MM-DD HH:MM:SS` UTC. */
  from: string;
  /** Exclusive. */
  to: string;
  site?: string;
}

const RANGE = `ts >= toDateTime64({from:String}, 3, 'UTC') AND ts < toDateTime64({to:String}, 3, 'UTC')
  AND ({site:String} = '' OR site_id = {site:String})`;

/** Re-inserts rollup states for the range from sightline.events (human traffic). */
export async function rebuildRollups(client: ClickHouseClient, range: HourRange): Promise<void> {
  await client.command({
    query: `INSERT INTO ${DATABASE}.events_hourly
      SELECT site_id, toStartOfHour(ts) AS hour, name,
        uniqExactState(event_id), uniqExactState(visitor_id), uniqExactState(session_id)
      FROM ${DATABASE}.events
      WHERE is_bot = 0 AND ${RANGE}
      GROUP BY site_id, hour, name`,
    query_params: { from: range.from, to: range.to, site: range.site ?? "" },
    clickhouse_settings: { async_insert: 0 },
  });
}

export interface RollupMismatch {
  site_id: string;
  hour: string;
  name: string;
  source: number;
  rollup: number;
}

/** Hours whose distinct event ids in the rollup differ from the source; empty when in step. */
export async function checkRollups(
  client: ClickHouseClient,
  range: HourRange,
): Promise<RollupMismatch[]> {
  const rs = await client.query({
    query: `SELECT site_id, toString(hour) AS hour, name, s.n AS source, r.n AS rollup
      FROM (
        SELECT site_id, toStartOfHour(ts) AS hour, name, uniqExact(event_id) AS n
        FROM ${DATABASE}.events WHERE is_bot = 0 AND ${RANGE}
        GROUP BY site_id, hour, name
      ) AS s
      FULL OUTER JOIN (
        SELECT site_id, hour, name, uniqExactMerge(events) AS n
        FROM ${DATABASE}.events_hourly
        WHERE hour >= toDateTime({from:String}, 'UTC') AND hour < toDateTime({to:String}, 'UTC')
          AND ({site:String} = '' OR site_id = {site:String})
        GROUP BY site_id, hour, name
      ) AS r USING (site_id, hour, name)
      WHERE s.n != r.n
      ORDER BY site_id, hour, name`,
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
