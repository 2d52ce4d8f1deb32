import { describe, expect, it } from "vitest";
import { splitLines } from "./lines.ts";
import { timeSpan } from "./repair.ts";

const linesOf = (text: string) =>
  splitLines({ file: "f", start: 0, end: text.length }, Buffer.from(text));

describe("timeSpan", () => {
  it("gives the earliest and latest event time, whatever the key order or spacing", () => {
    const text = [
      `{"event_id":"a","ts":"2026-03-01 10:15:00.000"}`,
      `{"ts": "2026-03-01 09:59:59.999", "event_id":"b"}`,
      `{"props":{"ts":"1999-01-01 00:00:00.000"},"event_id":"c","ts":"2026-03-02 00:00:00.000"}`,
    ]
      .map((l) => `${l}\n`)
      .join("");
    expect(timeSpan(linesOf(text))).toEqual({
      min: "2026-03-01 09:59:59.999",
      max: "2026-03-02 00:00:00.000",
    });
  });

  it("skips lines that are not rows with a time, and is null when none has one", () => {
    const text = `not json\n{"ts":42}\n{"ts":"yesterday"}\nnull\n`;
    expect(timeSpan(linesOf(text))).toBeNull();
    expect(timeSpan(linesOf(`${text}{"ts":"2026-01-01 00:00:00.000"}\n`))).toEqual({
      min: "2026-01-01 00:00:00.000",
      max: "2026-01-01 00:00:00.000",
    });
    expect(timeSpan([])).toBeNull();
  });
});
