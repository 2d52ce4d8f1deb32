import { existsSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { Progress } from "./progress.ts";
import { Retirement } from "./retire.ts";
import { SpoolFolder } from "./spool-folder.ts";

let spool: SpoolFolder;
let progress: Progress;
beforeEach(() => {
  spool = new SpoolFolder(mkdtempSync(join(tmpdir(), "sl-retire-")));
  progress = new Progress(join(spool.dir, "shipper.checkpoint.json"));
});

const write = (file: string, bytes: number) => writeFileSync(spool.path(file), "x".repeat(bytes));
const options = (over: Partial<ConstructorParameters<typeof Retirement>[0]> = {}) => ({
  spool,
  progress,
  isSealed: () => true,
  policy: "delete" as const,
  archiveDir: join(spool.dir, "archive"),
  archiveKeepMs: 86_400_000,
  ...over,
});

describe("Retirement", () => {
  it("deletes sealed files shipped to their end, keeps the rest, and forgets what is gone", async () => {
    write("events-1.ndjson", 10);
    write("events-2.ndjson", 10);
    write("events-3.ndjson", 10);
    progress.ack([
      { file: "events-1.ndjson", start: 0, end: 10 },
      { file: "events-2.ndjson", start: 0, end: 6 },
      { file: "events-3.ndjson", start: 0, end: 10 },
      { file: "events-0.ndjson", start: 0, end: 4 },
    ]);
    const open = (f: string) => f !== "events-3.ndjson";
    expect(await new Retirement(options({ isSealed: open })).run()).toBe(1);
    expect(readdirSync(spool.dir).filter((f) => f.endsWith(".ndjson"))).toEqual([
      "events-2.ndjson",
      "events-3.ndjson",
    ]);
    const reread = new Progress(join(spool.dir, "shipper.checkpoint.json"));
    expect(reread.shippedFiles().sort()).toEqual([
      ["events-2.ndjson", 6],
      ["events-3.ndjson", 10],
    ]);
  });

  it("moves shipped files to the archive under the archive policy, and expires old archived ones", async () => {
    const archiveDir = join(spool.dir, "archive");
    write("events-1.ndjson", 10);
    progress.ack([{ file: "events-1.ndjson", start: 0, end: 10 }]);
    const logs: string[] = [];
    const archive = new Retirement(
      options({ policy: "archive", archiveDir, log: (m) => logs.push(m) }),
    );
    expect(await archive.run()).toBe(1);
    expect(readdirSync(archiveDir)).toEqual(["events-1.ndjson"]);
    expect(existsSync(spool.path("events-1.ndjson"))).toBe(false);
    // Two days old: past archiveKeepMs, removed by the next run of another Retirement.
    const old = (Date.now() - 2 * 86_400_000) / 1000;
    utimesSync(join(archiveDir, "events-1.ndjson"), old, old);
    expect(await new Retirement(options({ policy: "archive", archiveDir })).run()).toBe(0);
    expect(readdirSync(archiveDir)).toEqual([]);
    expect(logs).toEqual([]);
  });
});
