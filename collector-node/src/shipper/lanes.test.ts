import { describe, expect, it } from "vitest";
import type { Range } from "../checkpoint.ts";
import { runLanes } from "./lanes.ts";

const file = (name: string): Range => ({ file: name, start: 0, end: 1 });
const tick = () => new Promise((r) => setTimeout(r, 1));

describe("runLanes", () => {
  it("runs up to `lanes` files at once, resends first, and records only new files before they start", async () => {
    const events: string[] = [];
    let running = 0;
    let most = 0;
    await runLanes([file("r1")], [file("n1"), file("n2"), file("n3")], {
      lanes: 2,
      halted: () => false,
      begin: (r) => events.push(`begin ${r.file}`),
      ship: async (r, lane) => {
        most = Math.max(most, ++running);
        events.push(`start ${r.file} on ${lane}`);
        await tick();
        running--;
      },
    });
    expect(most).toBe(2);
    expect(events[0]).toBe("start r1 on 0");
    expect(events).not.toContain("begin r1");
    for (const n of ["n1", "n2", "n3"])
      expect(events.indexOf(`begin ${n}`)).toBe(
        events.findIndex((e) => e.startsWith(`start ${n}`)) - 1,
      );
  });

  it("starts no new file once halted, but finishes the ones started", async () => {
    let started = 0;
    const done: string[] = [];
    await runLanes([], [file("a"), file("b"), file("c"), file("d")], {
      lanes: 2,
      // stop() comes once both lanes hold a file.
      halted: () => started === 2,
      begin: () => {},
      ship: async (r) => {
        started++;
        await tick();
        done.push(r.file);
      },
    });
    expect(done.sort()).toEqual(["a", "b"]);
  });

  it("after a failure starts nothing new, and throws once every lane has stopped", async () => {
    const started: string[] = [];
    let slowDone = false;
    const run = runLanes([], [file("slow"), file("bad"), file("c"), file("d")], {
      lanes: 2,
      halted: () => false,
      begin: () => {},
      ship: async (r) => {
        started.push(r.file);
        if (r.file === "bad") throw new Error("refused");
        await new Promise((res) => setTimeout(res, 20));
        slowDone = true;
      },
    });
    await expect(run).rejects.toThrow("refused");
    expect(slowDone).toBe(true);
    expect(started).toEqual(["slow", "bad"]);
  });
});
