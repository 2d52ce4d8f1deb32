import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openClickHouse } from "./clickhouse.ts";
import { loadSettings } from "./settings.ts";

const dataDir = mkdtempSync(join(tmpdir(), "sl-readers-"));
const ch = openClickHouse(loadSettings({ cwd: dataDir, env: { SIGHTLINE_DATA_DIR: dataDir } }));

afterAll(() => ch.close());

// Enough rows that the good reads are still running when the bad ones fail.
const GOOD =
  "SELECT count() AS n FROM numbers(300000) WHERE match(toString(number), {p:String}) AND toDate(now(), {tz:String}) > '2000-01-01'";

describe("embedded reads", () => {
  it("never fail because another read failed at the same time (bad regex, unknown zone)", async () => {
    const good = () => ch.read<{ n: number }>(GOOD, { p: "^1", tz: "UTC" });
    const badRegex = () => ch.read(GOOD, { p: "([", tz: "UTC" });
    const badZone = () => ch.read(GOOD, { p: "^1", tz: "US/Pacific-New" });
    const calls = Array.from({ length: 20 }, (_, i) => [good(), i % 2 ? badRegex() : badZone()]);
    const results = await Promise.allSettled(calls.flat());
    const goods = results.filter((_, i) => i % 2 === 0);
    const bads = results.filter((_, i) => i % 2 === 1);
    expect(goods.map((r) => r.status)).toEqual(Array(20).fill("fulfilled"));
    for (const r of goods) expect(r).toMatchObject({ value: [{ n: 111111 }] });
    expect(bads.map((r) => r.status)).toEqual(Array(20).fill("rejected"));
    // And the reads after them still work.
    expect(await good()).toEqual([{ n: 111111 }]);
  });

  it("stay read-only in every session, including ones opened under load", async () => {
    const writes = await Promise.allSettled(
      Array.from({ length: 6 }, () =>
        ch.read("CREATE TABLE default.nope (x UInt8) ENGINE = Memory"),
      ),
    );
    for (const w of writes)
      expect(String((w as PromiseRejectedResult).reason)).toMatch(/readonly/i);
  });
});
