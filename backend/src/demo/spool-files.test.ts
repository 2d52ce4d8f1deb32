import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DemoSpoolWriter, demoSpoolFileName } from "./spool-files.ts";

function lines(from: number, count: number, width = 100): Buffer {
  let text = "";
  for (let i = from; i < from + count; i++) {
    const head = `{"n":${i},"pad":"`;
    text += `${head}${"x".repeat(width - head.length - 3)}"}\n`;
  }
  return Buffer.from(text);
}

const spoolDir = () => mkdtempSync(join(tmpdir(), "sl-demo-spool-"));

describe("DemoSpoolWriter", () => {
  it("names files like the collector's spool, with a demo marker, in sort order", () => {
    const name = demoSpoolFileName(1_763_900_000_123, 7);
    expect(name).toBe(`events-01763900000123-demo-${process.pid}-0007.ndjson`);
    expect(demoSpoolFileName(1_763_900_000_124, 0) > name).toBe(true);
  });

  it("splits lines into .ndjson files no larger than maxFileBytes, each appearing whole", () => {
    const dir = spoolDir();
    let clock = 1_763_900_000_000;
    const writer = new DemoSpoolWriter({ dir, maxFileBytes: 1000, clock: () => clock++ });
    writer.write(lines(0, 25));
    // While a file is being written it has a name the shipper skips.
    const during = readdirSync(dir);
    expect(during.filter((f) => f.endsWith(".ndjson"))).toHaveLength(2);
    expect(during.filter((f) => f.endsWith(".tmp"))).toHaveLength(1);
    writer.write(lines(25, 7));
    writer.close();

    const files = readdirSync(dir);
    expect(files.every((f) => /^events-\d{14}-demo-\d+-\d{4}\.ndjson$/.test(f))).toBe(true);
    expect(files).toHaveLength(4);
    expect(writer.files).toEqual([...files].sort());
    const seen: number[] = [];
    let bytes = 0;
    for (const file of writer.files) {
      const size = statSync(join(dir, file)).size;
      bytes += size;
      expect(size).toBeLessThanOrEqual(1000);
      const text = readFileSync(join(dir, file), "utf8");
      expect(text.endsWith("\n")).toBe(true);
      for (const line of text.split("\n").slice(0, -1)) seen.push(JSON.parse(line).n);
    }
    expect(seen).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(writer.bytes).toBe(bytes);
  });

  it("puts a chunk that fits into one file", () => {
    const dir = spoolDir();
    const writer = new DemoSpoolWriter({ dir, maxFileBytes: 64 * 1024 * 1024 });
    writer.write(lines(0, 1000));
    writer.write(lines(1000, 1000));
    writer.close();
    expect(writer.files).toHaveLength(1);
    expect(statSync(join(dir, writer.files[0]!)).size).toBe(200_000);
    // Closing again, or with nothing written, leaves nothing behind.
    writer.close();
    new DemoSpoolWriter({ dir, maxFileBytes: 1000 }).close();
    expect(readdirSync(dir)).toEqual(writer.files);
  });

  it("refuses a line longer than a whole file, and chunks that end mid-line", () => {
    const dir = spoolDir();
    const writer = new DemoSpoolWriter({ dir, maxFileBytes: 150 });
    expect(() => writer.write(lines(0, 1, 200))).toThrow(
      "an event line of 200 bytes does not fit in spool.maxFileBytes (150 bytes)",
    );
    writer.abort();
    expect(() => writer.write(Buffer.from('{"n":1}'))).toThrow(/end with a newline/);
    expect(readdirSync(dir)).toEqual([]);
    expect(() => new DemoSpoolWriter({ dir, maxFileBytes: 0 })).toThrow(/maxFileBytes/);
  });

  it("drops the unfinished file on abort and keeps the finished ones", () => {
    const dir = spoolDir();
    const writer = new DemoSpoolWriter({ dir, maxFileBytes: 500 });
    writer.write(lines(0, 7));
    writer.abort();
    const files = readdirSync(dir);
    expect(files).toEqual(writer.files);
    expect(files).toHaveLength(1);
    expect(readFileSync(join(dir, files[0]!), "utf8").split("\n")).toHaveLength(6);
  });
});
