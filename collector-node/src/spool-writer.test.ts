import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SpoolWriter } from "./spool-writer.ts";

function spoolDir(): string {
  return mkdtempSync(join(tmpdir(), "sl-spool-"));
}

function readAll(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").filter(Boolean));
}

/** The prototype every FileHandle shares, to hold or fail its fsyncs in a test. */
async function fileHandlePrototype(): Promise<FileHandle> {
  const handle = await open(join(spoolDir(), "probe"), "w");
  await handle.close();
  return Object.getPrototypeOf(handle) as FileHandle;
}

describe("SpoolWriter", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(["batch", "none"] as const)(
    "writes the appends of one event-loop turn together and settles each after the write (fsync %s)",
    async (fsync) => {
      const dir = spoolDir();
      let writes = 0;
      const writer = new SpoolWriter({
        dir,
        maxFileBytes: 1 << 20,
        maxFileAgeMs: 60_000,
        fsync,
        onWrite: () => writes++,
      });
      let settled = 0;
      const appends = Array.from({ length: 100 }, (_, i) =>
        writer.append(`{"n":${i}}\n`).then(() => settled++),
      );
      expect(settled).toBe(0);
      await Promise.all(appends);
      expect(writes).toBe(1);
      expect(readAll(dir)).toHaveLength(100);
      // A later turn's appends share the next write.
      await Promise.all([writer.append('{"n":100}\n'), writer.append('{"n":101}\n')]);
      expect(writes).toBe(2);
      await writer.close();
    },
  );

  it("keeps every byte of appends of any size and text, in order, across reused buffers", async () => {
    const dir = spoolDir();
    const writer = new SpoolWriter({
      dir,
      maxFileBytes: 64 << 20,
      maxFileAgeMs: 60_000,
      fsync: "batch",
    });
    // Small, ~11 KB and >100 KB appends with multi-byte and lone-surrogate text, in waves while
    // earlier writes are in flight: several encoding buffers fill up and are used again.
    const text = (i: number) => {
      const size = i % 7 === 0 ? 60_000 : i % 3 === 0 ? 11_000 : 40;
      return `{"n":${i},"t":"${"é😀\ud800x".repeat(Math.ceil(size / 5)).slice(0, size)}"}\n`;
    };
    const expected: string[] = [];
    for (let wave = 0; wave < 4; wave++) {
      const lines = Array.from({ length: 150 }, (_, k) => text(wave * 150 + k));
      expected.push(...lines);
      await Promise.all(lines.map((l) => writer.append(l)));
    }
    await writer.close();
    const written = readdirSync(dir)
      .sort()
      .map((f) => readFileSync(join(dir, f)))
      .reduce((all, b) => Buffer.concat([all, b]), Buffer.alloc(0));
    expect(written.equals(Buffer.from(expected.join("")))).toBe(true);
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

  it("writes the next appends while an fsync is in flight; the next fsync acknowledges them", async () => {
    const dir = spoolDir();
    const proto = await fileHandlePrototype();
    const real = proto.datasync;
    const gates: (() => void)[] = [];
    vi.spyOn(proto, "datasync").mockImplementation(function (this: FileHandle) {
      return new Promise<void>((release) => gates.push(release)).then(() => real.call(this));
    });
    const writer = new SpoolWriter({
      dir,
      maxFileBytes: 1 << 20,
      maxFileAgeMs: 60_000,
      fsync: "batch",
    });
    const settled: string[] = [];
    const first = writer.append('{"n":1}\n').then(() => settled.push("first"));
    await vi.waitFor(() => expect(gates).toHaveLength(1));
    const second = writer.append('{"n":2}\n').then(() => settled.push("second"));
    // Written while the first fsync is still held, but not acknowledged by it.
    await vi.waitFor(() => expect(readAll(dir)).toEqual(['{"n":1}', '{"n":2}']));
    expect(gates).toHaveLength(1);
    gates[0]?.();
    await first;
    await vi.waitFor(() => expect(gates).toHaveLength(2));
    expect(settled).toEqual(["first"]);
    gates[1]?.();
    await second;
    expect(settled).toEqual(["first", "second"]);
    await writer.close();
  });

  it("a failed fsync rejects every append it or a later fsync of that file would acknowledge", async () => {
    const dir = spoolDir();
    const proto = await fileHandlePrototype();
    const real = proto.datasync;
    const gates: ((ok: boolean) => void)[] = [];
    vi.spyOn(proto, "datasync").mockImplementation(function (this: FileHandle) {
      return new Promise<boolean>((release) => gates.push(release)).then((ok) =>
        ok ? real.call(this) : Promise.reject(new Error("EIO: i/o error, fdatasync")),
      );
    });
    const writer = new SpoolWriter({
      dir,
      maxFileBytes: 1 << 20,
      maxFileAgeMs: 60_000,
      fsync: "batch",
    });
    const first = writer.append('{"n":1}\n');
    await vi.waitFor(() => expect(gates).toHaveLength(1));
    const second = writer.append('{"n":2}\n');
    await vi.waitFor(() => expect(readAll(dir)).toHaveLength(2));
    const failedFile = writer.activeFile;
    gates[0]?.(false);
    await expect(first).rejects.toThrow(/EIO/);
    // The second append's own fsync may pass, but pages of this file may be lost: no 204 for it.
    await vi.waitFor(() => expect(gates).toHaveLength(2));
    gates[1]?.(true);
    await expect(second).rejects.toThrow(/EIO/);
    // What comes next goes to a fresh file and is acknowledged as usual.
    const third = writer.append('{"n":3}\n');
    await vi.waitFor(() => expect(gates).toHaveLength(3));
    expect(writer.activeFile).not.toBe(failedFile);
    gates[2]?.(true);
    await third;
    await writer.close();
  });
});
