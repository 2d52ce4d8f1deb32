import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonDepth } from "./depth.ts";

/** The plain character-by-character scan the fast one must agree with. */
function referenceDepth(text: string, stopAt = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{" || c === "[") {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > stopAt) return max;
      }
    } else if (c === "}" || c === "]") depth--;
  }
  return max;
}

describe("jsonDepth", () => {
  it("counts nesting outside strings only", () => {
    expect(jsonDepth('{"e":[{"p":{"a":1}}]}')).toBe(4);
    expect(jsonDepth('{"a":"[[[[[[{{{{"}')).toBe(1);
    expect(jsonDepth('{"a":"\\"[[[["}')).toBe(1);
    expect(jsonDepth('{"a":"\\\\"}')).toBe(1);
    expect(jsonDepth('{"a":"x\\\\\\"[[["}')).toBe(1);
    expect(jsonDepth('["\\\\",[[]]]')).toBe(3);
    expect(jsonDepth('["unterminated [[[[')).toBe(1);
    expect(jsonDepth("[[[[[[[[", 4)).toBe(5);
  });

  it("agrees with a character-by-character scan on any text", () => {
    const piece = fc.constantFrom('"', "\\", "[", "]", "{", "}", ",", ":", "a", "\\\\", '\\"', " ");
    const text = fc.oneof(
      fc.array(piece, { maxLength: 80 }).map((parts) => parts.join("")),
      fc.jsonValue({ maxDepth: 8 }).map((value) => JSON.stringify(value)),
      fc.string({ unit: "binary" }),
    );
    fc.assert(
      fc.property(text, fc.option(fc.nat(10), { nil: undefined }), (body, stopAt) => {
        expect(jsonDepth(body, stopAt)).toBe(referenceDepth(body, stopAt));
      }),
      { numRuns: 2000 },
    );
  });
});
