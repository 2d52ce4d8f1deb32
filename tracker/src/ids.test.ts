import { describe, expect, it } from "vitest";
import { hash, randomId } from "./ids.ts";

describe("randomId", () => {
  it("gives 32 distinct hex chars", () => {
    const ids = new Set(Array.from({ length: 200 }, randomId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("hash", () => {
  it("is stable and spreads small changes", () => {
    expect(hash("abc")).toBe(hash("abc"));
    expect(hash("abc")).not.toBe(hash("abd"));
    expect(hash("")).toMatch(/^[0-9a-f]+$/);
  });
});
