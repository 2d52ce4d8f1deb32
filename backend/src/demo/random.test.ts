import { describe, expect, it } from "vitest";
import { Random, Weighted, zipf } from "./random.ts";

describe("Random", () => {
  it("repeats its sequence for a seed and differs between seeds", () => {
    const draw = (seed: number) => {
      const rng = new Random(seed);
      return Array.from({ length: 20 }, () => rng.u32());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it("stays in range", () => {
    const rng = new Random(1);
    const bad: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const x = rng.next();
      if (!(x >= 0 && x < 1)) bad.push(x);
      const n = rng.between(3, 5);
      if (!(n >= 3 && n <= 5 && Number.isInteger(n))) bad.push(n);
    }
    expect(bad).toEqual([]);
  });

  it("makes version-4-shaped UUIDs", () => {
    const rng = new Random(3);
    const ids = new Set(Array.from({ length: 1000 }, () => rng.uuid()));
    expect(ids.size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});

describe("Weighted", () => {
  it("picks in proportion to the weights", () => {
    const rng = new Random(11);
    const picker = new Weighted([
      ["a", 1],
      ["b", 3],
      ["c", 6],
      ["never", 0],
    ] as const);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0, never: 0 };
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[picker.pick(rng)]!++;
    expect(counts.never).toBe(0);
    expect(counts.a! / n).toBeCloseTo(0.1, 1);
    expect(counts.b! / n).toBeCloseTo(0.3, 1);
    expect(counts.c! / n).toBeCloseTo(0.6, 1);
  });

  it("refuses empty or weightless lists", () => {
    expect(() => new Weighted([])).toThrow(/at least one/);
    expect(() => new Weighted([["a", 0]])).toThrow(/positive sum/);
    expect(() => new Weighted([["a", -1]])).toThrow(/non-negative/);
  });

  it("zipf favours the first items", () => {
    const rng = new Random(5);
    const picker = zipf(["first", "second", "third", "fourth"]);
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const item = picker.pick(rng);
      counts.set(item, (counts.get(item) ?? 0) + 1);
    }
    expect(counts.get("first")!).toBeGreaterThan(counts.get("second")!);
    expect(counts.get("second")!).toBeGreaterThan(counts.get("fourth")!);
  });
});
