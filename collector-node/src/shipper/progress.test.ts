import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Progress } from "./progress.ts";

const fresh = () => join(mkdtempSync(join(tmpdir(), "sl-progress-")), "shipper.checkpoint.json");
const onDisk = (path: string) => JSON.parse(readFileSync(path, "utf8"));

describe("Progress", () => {
  it("gives a new spool a random id at once, and keeps it across restarts", () => {
    const path = fresh();
    const first = new Progress(path);
    expect(first.spoolId).toMatch(/^[0-9a-f]{16}$/);
    expect(onDisk(path).id).toBe(first.spoolId);
    expect(new Progress(path).spoolId).toBe(first.spoolId);
    expect(new Progress(fresh()).spoolId).not.toBe(first.spoolId);
    expect(first.token([{ file: "f", start: 0, end: 3 }])).toBe(`${first.spoolId}/f:0-3`);
  });

  it("writes a batch in flight before it is sent, and moves offsets only when it is acknowledged", () => {
    const path = fresh();
    const p = new Progress(path);
    const batch = [
      { file: "a", start: 0, end: 100 },
      { file: "b", start: 0, end: 40 },
    ];
    p.begin(batch);
    expect(new Progress(path).inflight).toEqual(batch);
    expect(p.shipped("a")).toBe(0);
    p.ack(batch);
    const after = new Progress(path);
    expect(after.inflight).toBeNull();
    expect([after.shipped("a"), after.shipped("b"), after.shipped("c")]).toEqual([100, 40, 0]);
  });

  it("acknowledges files shipped side by side one by one; the rest stay in flight", () => {
    const path = fresh();
    const p = new Progress(path);
    const a = { file: "a", start: 0, end: 10 };
    const b = { file: "b", start: 0, end: 20 };
    p.add(a);
    p.add(b);
    expect(onDisk(path).inflight).toEqual([a, b]);
    p.ack([b]);
    expect(new Progress(path).inflight).toEqual([a]);
    expect(p.shipped("b")).toBe(20);
    p.ack([a]);
    expect(new Progress(path).inflight).toBeNull();
  });

  it("never moves an offset back, and forgets files that are gone", () => {
    const path = fresh();
    const p = new Progress(path);
    p.ack([{ file: "a", start: 0, end: 50 }]);
    p.ack([{ file: "a", start: 0, end: 30 }]);
    expect(p.shipped("a")).toBe(50);
    p.ack([{ file: "b", start: 0, end: 5 }]);
    p.forget(["a"]);
    expect(new Progress(path).shippedFiles()).toEqual([["b", 5]]);
  });
});
