import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import {
  areWholeFiles,
  FILES_PER_ROUND,
  isWholeFile,
  nextLineBatch,
  nextWholeFiles,
  type WholeFileRule,
} from "./pick.ts";
import { SpoolFolder } from "./spool-folder.ts";

let spool: SpoolFolder;
beforeEach(() => {
  spool = new SpoolFolder(mkdtempSync(join(tmpdir(), "sl-pick-")));
});

const write = (file: string, text: string) => writeFileSync(spool.path(file), text);
const lines = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `{"id":"${prefix}-${i}"}\n`).join("");
const none = () => 0;
const limits = { batchRows: 1000, batchBytes: 1 << 20, isSealed: () => true };

describe("nextLineBatch", () => {
  it("takes whole lines past the shipped offsets across files in order, up to batchRows", async () => {
    write("events-1.ndjson", lines("a", 3));
    write("events-2.ndjson", lines("b", 5));
    const offset = Buffer.byteLength(lines("a", 1));
    const shipped = (f: string) => (f === "events-1.ndjson" ? offset : 0);
    const batch = await nextLineBatch(spool, shipped, { ...limits, batchRows: 4 });
    expect(batch.full).toBe(true);
    expect(batch.ranges).toEqual([
      { file: "events-1.ndjson", start: offset, end: Buffer.byteLength(lines("a", 3)) },
      { file: "events-2.ndjson", start: 0, end: Buffer.byteLength(lines("b", 2)) },
    ]);
    expect(batch.chunks.map((c) => c.toString())).toEqual([
      lines("a", 3).slice(offset),
      lines("b", 2),
    ]);
  });

  it("stops at batchBytes on a line boundary, and says a smaller batch is not full", async () => {
    write("events-1.ndjson", lines("a", 10));
    const one = Buffer.byteLength(lines("a", 1));
    const cut = await nextLineBatch(spool, none, { ...limits, batchBytes: one * 3 + 5 });
    expect(cut.ranges).toEqual([{ file: "events-1.ndjson", start: 0, end: one * 3 }]);
    const rest = await nextLineBatch(spool, none, { ...limits, batchRows: 50 });
    expect(rest).toMatchObject({ full: false, ranges: [{ end: one * 10 }] });
  });

  it("leaves a line still being written, but skips a torn last line of a sealed file", async () => {
    write("events-1.ndjson", `${lines("a", 2)}{"id":"tor`);
    const whole = Buffer.byteLength(lines("a", 2));
    const open = await nextLineBatch(spool, none, { ...limits, isSealed: () => false });
    expect(open.ranges).toEqual([{ file: "events-1.ndjson", start: 0, end: whole }]);
    const logs: string[] = [];
    const sealed = await nextLineBatch(spool, () => whole, { ...limits, log: (m) => logs.push(m) });
    expect(sealed.ranges).toEqual([{ file: "events-1.ndjson", start: whole, end: whole + 10 }]);
    expect(sealed.chunks).toEqual([Buffer.alloc(0)]);
    expect(logs.join()).toMatch(/torn last line/);
    const waiting = await nextLineBatch(spool, () => whole, { ...limits, isSealed: () => false });
    expect(waiting.ranges).toEqual([]);
  });

  it("returns a line longer than a whole batch alone and unread, to be dead-lettered", async () => {
    const long = `{"id":"${"x".repeat(3000)}"}\n`;
    write("events-1.ndjson", long + lines("b", 2));
    const batch = await nextLineBatch(spool, none, { ...limits, batchBytes: 1000 });
    expect(batch).toEqual({
      ranges: [{ file: "events-1.ndjson", start: 0, end: long.length }],
      chunks: [],
      full: true,
    });
  });

  it("closes a batch before a long line that does not fit after other lines", async () => {
    write("events-1.ndjson", lines("a", 2));
    write("events-2.ndjson", `{"id":"${"x".repeat(3000)}"}\n`);
    const batch = await nextLineBatch(spool, none, { ...limits, batchBytes: 1000 });
    expect(batch.ranges).toEqual([
      { file: "events-1.ndjson", start: 0, end: Buffer.byteLength(lines("a", 2)) },
    ]);
    expect(batch.full).toBe(true);
  });
});

describe("whole files", () => {
  const rule: WholeFileRule = { engineReadsFiles: true, maxBytes: 1 << 20, isSealed: () => true };

  it("takes sealed unshipped files from the start, up to the first that cannot go whole", async () => {
    write("events-1.ndjson", lines("a", 3));
    write("events-2.ndjson", lines("b", 3));
    write("events-3.ndjson", lines("c", 3));
    write("events-4.ndjson", lines("d", 3));
    const sealed = (f: string) => f !== "events-3.ndjson";
    const wholes = await nextWholeFiles(spool, none, { ...rule, isSealed: sealed });
    expect(wholes.map((r) => [r.file, r.start, r.end])).toEqual([
      ["events-1.ndjson", 0, Buffer.byteLength(lines("a", 3))],
      ["events-2.ndjson", 0, Buffer.byteLength(lines("b", 3))],
    ]);
    // A file partly shipped already goes line by line, and so does everything after it.
    expect(await nextWholeFiles(spool, (f) => (f === "events-1.ndjson" ? 5 : 0), rule)).toEqual([]);
  });

  it("skips fully shipped files, takes at most a round's worth, and none in server mode", async () => {
    for (let i = 0; i < FILES_PER_ROUND + 3; i++) write(`events-${10 + i}.ndjson`, lines("x", 1));
    const done = (f: string) => (f === "events-10.ndjson" ? Buffer.byteLength(lines("x", 1)) : 0);
    const wholes = await nextWholeFiles(spool, done, rule);
    expect(wholes).toHaveLength(FILES_PER_ROUND);
    expect(wholes[0]?.file).toBe("events-11.ndjson");
    expect(await nextWholeFiles(spool, none, { ...rule, engineReadsFiles: false })).toEqual([]);
  });

  it("takes a file whole only up to maxBytes, and only as it is now", async () => {
    write("events-1.ndjson", lines("a", 10));
    const size = Buffer.byteLength(lines("a", 10));
    const range = { file: "events-1.ndjson", start: 0, end: size };
    expect(await isWholeFile(spool, { ...rule, maxBytes: size }, range)).toBe(true);
    expect(await isWholeFile(spool, { ...rule, maxBytes: size - 1 }, range)).toBe(false);
    expect(await isWholeFile(spool, rule, { ...range, end: size - 1 })).toBe(false);
    expect(await isWholeFile(spool, rule, { ...range, file: "gone.ndjson" })).toBe(false);
    expect(await areWholeFiles(spool, rule, [range])).toBe(true);
    expect(await areWholeFiles(spool, rule, [range, { ...range, start: 5 }])).toBe(false);
    expect(await areWholeFiles(spool, rule, [])).toBe(false);
  });
});
