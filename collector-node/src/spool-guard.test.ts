import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SpoolFullError, SpoolGuard } from "./spool-guard.ts";

describe("SpoolGuard", () => {
  it("refuses appends past spool.maxBytes with a message naming the bound", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sl-guard-"));
    writeFileSync(join(dir, "events-a.ndjson"), "x".repeat(900));
    const guard = new SpoolGuard({ dir, maxBytes: 1000, lowDiskBytes: 1 });
    await guard.admit(50);
    await expect(guard.admit(100)).rejects.toThrow(SpoolFullError);
    await expect(guard.admit(100)).rejects.toThrow(/spool.maxBytes is 1000/);
    expect(guard.spoolBytes).toBe(950);
  });

  it("warns when the disk runs low, at most once a minute", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sl-guard-"));
    const lines: string[] = [];
    let now = 0;
    const guard = new SpoolGuard({
      dir,
      maxBytes: 1 << 30,
      lowDiskBytes: Number.MAX_SAFE_INTEGER,
      log: (l) => lines.push(l),
      now: () => now,
      refreshMs: 0,
    });
    await guard.admit(1);
    await guard.admit(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/WARNING: low disk space for the spool .* below spool.lowDiskBytes/);
    now += 61_000;
    await guard.admit(1);
    expect(lines).toHaveLength(2);
  });
});
