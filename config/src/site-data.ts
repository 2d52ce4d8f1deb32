import type { ClickHouseClient } from "@clickhouse/client";
import { DATABASE } from "./clickhouse.ts";
import type { Retention } from "./sites.ts";

/** Every table that holds rows of a site (raw events, bots, and the two rollups). */
export const SITE_TABLES = ["events", "bot_events", "events_hourly", "visitor_slots"] as const;

/**
 * Writes a site's retention override, reloads the dictionary the TTLs read, and re-applies the
 * TTLs (parts remember the TTL computed when they were written). Shared by `sightline retention
 * set` and the sites API. Give it the writable client, never the read-only session.
 */
export async function setSiteRetention(
  client: ClickHouseClient,
  site: string,
  retention: Retention,
  log: (line: string) => void = () => {},
): Promise<void> {
  await client.insert({
    table: `${DATABASE}.site_retention`,
    values: [
      { site_id: site, raw_months: retention.rawMonths, rollup_months: retention.rollupMonths },
    ],
    format: "JSONEachRow",
  });
  await client.command({ query: `SYSTEM RELOAD DICTIONARY ${DATABASE}.site_retention_dict` });
  for (const table of SITE_TABLES) {
    await client.command({ query: `ALTER TABLE ${DATABASE}.${table} MATERIALIZE TTL` });
    log(`  TTL re-applied to ${DATABASE}.${table}`);
  }
}

/**
 * Deletes every row of a site: events, bot events, both rollups and its retention override. One
 * `ALTER TABLE … DELETE` per table with the site id bound, waiting for each mutation
 * (`mutations_sync`), so success means the rows are gone.
 */
export async function deleteSiteData(client: ClickHouseClient, site: string): Promise<void> {
  for (const table of [...SITE_TABLES, "site_retention"]) {
    await client.command({
      query: `ALTER TABLE ${DATABASE}.${table} DELETE WHERE site_id = {site:String}`,
      query_params: { site },
      clickhouse_settings: { mutations_sync: "1" },
    });
  }
  await client.command({ query: `SYSTEM RELOAD DICTIONARY ${DATABASE}.site_retention_dict` });
}
