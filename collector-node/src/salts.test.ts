import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cookielessVisitorId, hashIp } from "@sightline/edge";
import { describe, expect, it } from "vitest";
import { FileSaltStore } from "./salts.ts";

describe("FileSaltStore", () => {
  it("creates one random private salt per day, shared by instances, and deletes old ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sl-salts-"));
    writeFileSync(join(dir, "2026-11-20"), "old");
    const a = new FileSaltStore(dir);
    const b = new FileSaltStore(dir);
    const salt = await a.saltFor("2026-11-23");
    expect(salt).toMatch(/^[0-9a-f]{64}$/);
    expect(await b.saltFor("2026-11-23")).toBe(salt);
    expect(await a.saltFor("2026-11-24")).not.toBe(salt);
    expect(statSync(join(dir, "2026-11-23")).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(["2026-11-23", "2026-11-24"]);
  });

  it("makes hashes under a deleted salt impossible to recompute, for the operator too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sl-salts-"));
    const ip = "198.51.100.23";
    const ua = "Mozilla/5.0 Firefox/140.0";
    const day1 = new FileSaltStore(dir);
    const salt1 = await day1.saltFor("2026-11-23");
    const visitor = await cookielessVisitorId(salt1, "example.com", ip, ua);
    const ipHash = await hashIp(salt1, ip);
    // While the salt exists anyone with the folder can recompute the hash...
    const sameDay = new FileSaltStore(dir);
    expect(
      await cookielessVisitorId(await sameDay.saltFor("2026-11-23"), "example.com", ip, ua),
    ).toBe(visitor);
    // ...two days later it is gone from disk,
    await new FileSaltStore(dir).saltFor("2026-11-25");
    expect(readdirSync(dir)).not.toContain("2026-11-23");
    for (const name of readdirSync(dir)) {
      expect(readFileSync(join(dir, name), "utf8")).not.toContain(salt1);
    }
    // and a fresh process (no memory of it) asking for that day gets a new random salt, so the
    // old visitor id and IP hash can no longer be produced from the same IP and user agent.
    const later = new FileSaltStore(dir);
    const replacement = await later.saltFor("2026-11-23");
    expect(replacement).not.toBe(salt1);
    expect(await cookielessVisitorId(replacement, "example.com", ip, ua)).not.toBe(visitor);
    expect(await hashIp(replacement, ip)).not.toBe(ipHash);
  });
});
