import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ShipLoop } from "./loop.ts";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A loop over scripted steps: each call takes the next answer (a number, or an error to throw). */
function scripted(answers: (number | Error)[], intervalMs = 1000) {
  const calls: { at: number; force: boolean }[] = [];
  const retries: number[] = [];
  const loop = new ShipLoop(
    async (force) => {
      calls.push({ at: Date.now() - t0, force });
      const next = answers.shift() ?? -1;
      if (next instanceof Error) throw next;
      return next;
    },
    { intervalMs, onError: (_, ms) => retries.push(ms) },
  );
  const t0 = Date.now();
  return { loop, calls, retries };
}

describe("ShipLoop", () => {
  it("runs steps back to back while they ship, then looks again every intervalMs", async () => {
    const { loop, calls } = scripted([0, 0, -1, -1, -1]);
    loop.start();
    await vi.advanceTimersByTimeAsync(2500);
    expect(calls.map((c) => c.at)).toEqual([0, 0, 0, 1000, 2000]);
    expect(calls.every((c) => !c.force)).toBe(true);
    await loop.stop();
  });

  it("backs off from 0.5 s doubling to 30 s after failures, and starts over after a success", async () => {
    const down = new Error("refused");
    const { loop, calls, retries } = scripted([...Array<Error>(9).fill(down), -1, down]);
    loop.start();
    await vi.advanceTimersByTimeAsync(200_000);
    expect(retries).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 500]);
    expect(calls[9]?.at).toBe(500 + 1000 + 2000 + 4000 + 8000 + 16000 + 30000 * 3);
    await loop.stop();
  });

  it("runs at once when poked while idle, and right after the current run when poked during one", async () => {
    let release: () => void = () => {};
    const calls: number[] = [];
    const t0 = Date.now();
    let n = 0;
    const loop = new ShipLoop(
      async () => {
        calls.push(Date.now() - t0);
        if (n++ === 1) await new Promise<void>((r) => (release = r));
        return -1;
      },
      { intervalMs: 1000 },
    );
    loop.start();
    await vi.advanceTimersByTimeAsync(100);
    loop.poke();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([0, 100]);
    loop.poke();
    await vi.advanceTimersByTimeAsync(50);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([0, 100, 150]);
    await loop.stop();
  });

  it("lets a partial batch wait its time: pokes do not bring it forward", async () => {
    const { loop, calls } = scripted([300, 0, -1]);
    loop.start();
    await vi.advanceTimersByTimeAsync(100);
    loop.poke();
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(calls.map((c) => c.at)).toEqual([0, 300, 300]);
    await loop.stop();
  });

  it("ignores pokes while backing off", async () => {
    const { loop, calls } = scripted([new Error("down"), -1]);
    loop.start();
    await vi.advanceTimersByTimeAsync(100);
    loop.poke();
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(calls.map((c) => c.at)).toEqual([0, 500]);
    await loop.stop();
  });

  it("stop() waits for the step in hand, starts nothing after it, and says it is halting", async () => {
    let release: () => void = () => {};
    let steps = 0;
    const loop = new ShipLoop(
      async () => {
        steps++;
        await new Promise<void>((r) => (release = r));
        return 0;
      },
      { intervalMs: 10 },
    );
    expect(loop.halting).toBe(false);
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    expect(loop.halting).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release();
    await stopping;
    loop.poke();
    await vi.advanceTimersByTimeAsync(1000);
    expect(steps).toBe(1);
  });

  it("drain() forces steps until one ships nothing, and throws what a step throws", async () => {
    const { loop, calls } = scripted([0, 0, 250, 0, new Error("gone")]);
    await loop.stop();
    await loop.drain();
    expect(loop.halting).toBe(false);
    expect(calls.map((c) => c.force)).toEqual([true, true, true]);
    await expect(loop.drain()).rejects.toThrow("gone");
    expect(calls).toHaveLength(5);
  });
});
