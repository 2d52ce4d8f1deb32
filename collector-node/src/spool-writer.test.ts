import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SpoolWriter } from "./spool-writer.ts";

function spoolDir(): string {
  return mkdtempSync(join(tmpdir(), "sl-spool-"));
}

function readAll(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").filter(Boolean));
}

describe("SpoolWriter", () => {
  it("writes concurrent appends together and settles each after its write", async () => {
    const dir = spoolDir();
    let writes = 0;
    const writer = new SpoolWriter({
      dir,
      maxFileBytes: 1 << 20,
      maxFileAgeMs: 60_000,
      fsync: "batch",
      onWrite: () => writes++,
    });
    await Promise.all(Array.from({ length: 100 }, (_, i) => writer.append(`{"n":${i}}\n`)));
    // The first append starts a write; the other 99 wait and go out as one group.
    expect(writes).toBe(2);
    expect(readAll(dir)).toHaveLength(100);
    await writer.close();
  });

  it("rotates files by size and keeps every line whole", async () => {
    const dir = spoolDir();
    const writer = new SpoolWriter({ dir, maxFileBytes: 100, maxFileAgeMs: 60_000, fsync: "none" });
    for (let i = 0; i < 30; i++) await writer.append(`{"line":${String(i).padStart(3, "0")}}\n`);
    await writer.close();
    const files = readdirSync(dir);
    // 15-byte lines, at most 100 bytes a file: 6 lines a file.
    expect(files.length).toBe(5);
    for (const f of files) expect(readFileSync(join(dir, f)).byteLength).toBeLessThanOrEqual(100);
    expect(readAll(dir)).toEqual(
      Array.from({ length: 30 }, (_, i) => `{"line":${String(i).padStart(3, "0")}}`),
    );
  });

  it("rejects appends when the write fails", async () => {
    const dir = join(spoolDir(), "gone");
    const writer = new SpoolWriter({ dir, maxFileBytes: 100, maxFileAgeMs: 60_000, fsync: "none" });
    const { rmSync } = await import("node:fs");
    rmSync(dir, { recursive: true });
    await expect(writer.append("{}\n")).rejects.toThrow(/ENOENT/);
  });

  it("seals an idle file once it is older than maxFileAgeMs, and starts a new one on demand", async () => {
    const dir = spoolDir();
    const writer = new SpoolWriter({ dir, maxFileBytes: 1 << 20, maxFileAgeMs: 50, fsync: "none" });
    await writer.append('{"n":1}\n');
    const first = writer.activeFile;
    expect(first).not.toBeNull();
    await new Promise((r) => setTimeout(r, 200));
    expect(writer.activeFile).toBeNull();
    await writer.append('{"n":2}\n');
    expect(writer.activeFile).not.toBe(first);
    await writer.close();
    expect(readdirSync(dir)).toHaveLength(2);
    expect(readAll(dir)).toEqual(['{"n":1}', '{"n":2}']);
  });
});
