import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
});
