import { eventRow } from "@sightline/edge/testing";
import { describe, expect, it } from "vitest";
import { internalRows } from "./internal-rows.ts";

const line = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ ...eventRow({ event_id: "edge-1" }), ...overrides });

describe("internalRows", () => {
  it("takes every line as an event row, with or without a final newline", () => {
    const two = `${line()}\n${line({ event_id: "edge-2" })}`;
    for (const text of [two, `${two}\n`]) {
      const parsed = internalRows(text);
      expect(parsed.ok && parsed.rows.map((r) => r.event_id)).toEqual(["edge-1", "edge-2"]);
    }
  });

  it("names the first bad line and why, and takes nothing", () => {
    const cases: [string, string][] = [
      [`${line()}\nnot json\n`, "line 2: not valid JSON; nothing was written"],
      [`${line({ is_bot: 2 })}\n`, "line 1: is_bot: "],
      [`${line({ ip: "192.0.2.1" })}\n`, "line 1: row: unknown column ip; nothing was written"],
      [`${line()}\n\n${line()}\n`, "line 2: not valid JSON"],
    ];
    for (const [text, error] of cases) {
      const parsed = internalRows(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.code).toBe("INVALID_ROW");
        expect(parsed.error.startsWith(error)).toBe(true);
      }
    }
  });

  it("refuses a body without lines", () => {
    expect(internalRows("")).toEqual({ ok: false, code: "EMPTY_BODY", error: "no NDJSON lines" });
    expect(internalRows("\n")).toEqual({
      ok: false,
      code: "EMPTY_BODY",
      error: "no NDJSON lines",
    });
  });
});
