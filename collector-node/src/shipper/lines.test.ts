import { describe, expect, it } from "vitest";
import { bodyOf, rangesOf, splitLines, tokenFor } from "./lines.ts";

describe("splitLines", () => {
  it("gives each complete line with its file offsets, leaving out bytes after the last newline", () => {
    const chunk = Buffer.from('{"a":1}\n{"b":22}\n{"torn"');
    const lines = splitLines({ file: "f.ndjson", start: 100, end: 100 + chunk.length }, chunk);
    expect(lines.map((l) => [l.start, l.end, l.data.toString()])).toEqual([
      [100, 108, '{"a":1}\n'],
      [108, 117, '{"b":22}\n'],
    ]);
    expect(lines.every((l) => l.file === "f.ndjson")).toBe(true);
  });

  it("finds no line in an empty chunk or one without a newline", () => {
    expect(splitLines({ file: "f", start: 0, end: 0 }, Buffer.alloc(0))).toEqual([]);
    expect(splitLines({ file: "f", start: 0, end: 3 }, Buffer.from("abc"))).toEqual([]);
  });
});

describe("rangesOf", () => {
  const line = (file: string, start: number, end: number) => ({
    file,
    start,
    end,
    data: Buffer.alloc(end - start),
  });

  it("merges adjacent lines of one file, and keeps gaps and other files apart", () => {
    const lines = [
      line("a", 0, 10),
      line("a", 10, 25),
      line("a", 40, 50),
      line("b", 50, 60),
      line("b", 60, 70),
    ];
    expect(rangesOf(lines)).toEqual([
      { file: "a", start: 0, end: 25 },
      { file: "a", start: 40, end: 50 },
      { file: "b", start: 50, end: 70 },
    ]);
    expect(rangesOf([])).toEqual([]);
  });

  it("never changes the lines it is given", () => {
    const lines = [line("a", 0, 10), line("a", 10, 20)];
    rangesOf(lines);
    expect(lines.map((l) => [l.start, l.end])).toEqual([
      [0, 10],
      [10, 20],
    ]);
  });
});

describe("tokenFor", () => {
  it("names the spool and every range, so the same ranges always give the same token", () => {
    const ranges = [
      { file: "events-1.ndjson", start: 0, end: 10 },
      { file: "events-2.ndjson", start: 5, end: 9 },
    ];
    expect(tokenFor("abc", ranges)).toBe("abc/events-1.ndjson:0-10,events-2.ndjson:5-9");
    expect(
      tokenFor(
        "abc",
        ranges.map((r) => ({ ...r })),
      ),
    ).toBe(tokenFor("abc", ranges));
    expect(tokenFor("other", ranges)).not.toBe(tokenFor("abc", ranges));
  });
});

describe("bodyOf", () => {
  it("joins the lines' bytes in order, without copying a single line", () => {
    const one = { file: "a", start: 0, end: 4, data: Buffer.from("one\n") };
    const two = { file: "a", start: 4, end: 8, data: Buffer.from("two\n") };
    expect(bodyOf([one, two]).toString()).toBe("one\ntwo\n");
    expect(bodyOf([one])).toBe(one.data);
    expect(bodyOf([]).length).toBe(0);
  });
});
