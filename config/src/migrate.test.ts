import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COLUMNS, EVENT_COLUMNS } from "@sightline/edge";
import { afterAll, describe, expect, it } from "vitest";
import { DATABASE, openClickHouse } from "./clickhouse.ts";
import { migrate, readMigrations } from "./migrate.ts";
import { loadSettings } from "./settings.ts";

const dataDir = mkdtempSync(join(tmpdir(), "sl-migrate-"));
const ch = openClickHouse(loadSettings({ cwd: dataDir, env: { SIGHTLINE_DATA_DIR: dataDir } }));

afterAll(() => ch.close());

describe("migrations on embedded ClickHouse", () => {
  it("are numbered without gaps", () => {
    const versions = readMigrations().map((m) => m.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });

  it("apply once and are recorded", async () => {
    const first = await migrate(ch.client);
    expect(first).toEqual(readMigrations().map((m) => m.name));
    const second = await migrate(ch.client);
    expect(second).toEqual([]);
    const rs = await ch.client.query({
      query: `SELECT count() AS n FROM ${DATABASE}.schema_migrations FINAL`,
      format: "JSONEachRow",
    });
    expect(await rs.json()).toEqual([{ n: readMigrations().length }]);
  });

  it("create events and bot_events tables whose columns are exactly the edge column table's", async () => {
    await migrate(ch.client);
    const expected = Object.entries(COLUMNS).map(([name, c]) => ({ name, type: c.clickhouse }));
    expect(expected.map((c) => c.name)).toEqual([...EVENT_COLUMNS]);
    for (const table of ["events", "bot_events", "events_with_bots"]) {
      const rs = await ch.client.query({
        query:
          "SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {table:String} ORDER BY position",
        query_params: { db: DATABASE, table },
        format: "JSONEachRow",
      });
      expect(await rs.json(), table).toEqual(expected);
    }
  });

  it("serves reads from a read-only session that refuses writes and extra statements", async () => {
    await migrate(ch.client);
    const rows = await ch.read<{ n: number }>(
      "SELECT count() AS n FROM sightline.events WHERE site_id = {site:String}",
      {
        site: "x'; DROP TABLE sightline.events; --",
      },
    );
    expect(rows).toEqual([{ n: 0 }]);
    await expect(ch.read("INSERT INTO sightline.events (event_id) VALUES ('x')")).rejects.toThrow(
      /readonly/i,
    );
    await expect(ch.read("SELECT 1; DROP TABLE sightline.events")).rejects.toThrow(/readonly/i);
    const still = await ch.client.query({
      query:
        "SELECT count() AS n FROM system.tables WHERE database = 'sightline' AND name = 'events'",
      format: "JSONEachRow",
    });
    expect(await still.json()).toEqual([{ n: 1 }]);
  });

  it("keeps a session's insert settings out of other sessions", async () => {
    await migrate(ch.client);
    const shipper = ch.session();
    const row = (id: string) => [
      { event_id: id, site_id: "isolation", ts: "2026-01-01 00:00:00.000" },
    ];
    const insert = (client: typeof shipper, id: string, token?: string) =>
      client.insert({
        table: `${DATABASE}.events`,
        values: row(id),
        format: "JSONEachRow",
        clickhouse_settings: token ? { insert_deduplication_token: token } : {},
      });
    await insert(shipper, "with-token", "token-1");
    await insert(ch.client, "plain-1");
    await insert(ch.client, "plain-2");
    const rows = await ch.read<{ event_id: string }>(
      `SELECT event_id FROM ${DATABASE}.events WHERE site_id = 'isolation' ORDER BY event_id`,
    );
    expect(rows.map((r) => r.event_id)).toEqual(["plain-1", "plain-2", "with-token"]);
  });
});
