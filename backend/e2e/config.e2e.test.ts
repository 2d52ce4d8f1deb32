import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runToExit } from "./process.ts";

describe("start-up with bad settings", () => {
  it("stops naming the key and the variable it came from", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sl-badconfig-"));
    const { code, output } = await runToExit({
      SIGHTLINE_DATA_DIR: dataDir,
      SIGHTLINE_SERVER_PORT: "eighty",
    });
    expect(code).toBe(78);
    expect(output).toMatch(/server\.port \(from SIGHTLINE_SERVER_PORT\): .*number/);
    expect(output).not.toMatch(/ready: open/);
  });

  it("stops when SIGHTLINE_ADMIN_PASSWORD is easy to guess, saying why", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sl-badconfig-"));
    const { code, output } = await runToExit({
      SIGHTLINE_DATA_DIR: dataDir,
      SIGHTLINE_ADMIN_EMAIL: "owner@example.test",
      SIGHTLINE_ADMIN_PASSWORD: "aaaaaaaaaaaa",
    });
    expect(code).toBe(78);
    expect(output).toMatch(
      /admin\.password \(SIGHTLINE_ADMIN_PASSWORD\) is too easy to guess: it repeats characters/,
    );
    expect(output).not.toMatch(/ready: open/);
  });

  it("stops naming an unknown key in sightline.yaml", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sl-badconfig-"));
    const file = join(dir, "sightline.yaml");
    writeFileSync(file, "clickhouse:\n  url: ftp://nowhere\nshiper:\n  enabled: true\n");
    const { code, output } = await runToExit({ SIGHTLINE_DATA_DIR: dir, SIGHTLINE_CONFIG: file });
    expect(code).toBe(78);
    expect(output).toMatch(/clickhouse\.url: must be an http:\/\/ or https:\/\/ URL/);
    expect(output).toMatch(/shiper: is not a known setting/);
  });
});
