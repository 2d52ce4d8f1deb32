import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SpoolFolder } from "./spool-folder.ts";

describe("SpoolFolder", () => {
  const spool = new SpoolFolder(mkdtempSync(join(tmpdir(), "sl-folder-")));
  writeFileSync(spool.path("events-2.ndjson"), "b\n");
  writeFileSync(spool.path("events-1.ndjson"), `a\n${"y".repeat(3 << 20)}\nz\n`);
  writeFileSync(spool.path("shipper.checkpoint.json"), "{}");

  it("lists spool files in name order, nothing else", async () => {
    expect(await spool.files()).toEqual(["events-1.ndjson", "events-2.ndjson"]);
    expect(await spool.size("events-2.ndjson")).toBe(2);
    expect(await spool.sizeIfPresent("gone.ndjson")).toBe(-1);
  });

  it("reads a range, cut short where the file ends", async () => {
    expect((await spool.read({ file: "events-2.ndjson", start: 0, end: 2 })).toString()).toBe(
      "b\n",
    );
    expect((await spool.read({ file: "events-2.ndjson", start: 1, end: 50 })).toString()).toBe(
      "\n",
    );
  });

  it("finds the end of a line that runs over several read steps, or null if it is unfinished", async () => {
    const size = await spool.size("events-1.ndjson");
    expect(await spool.lineEnd("events-1.ndjson", 2, size)).toBe(2 + (3 << 20) + 1);
    expect(await spool.lineEnd("events-1.ndjson", 2, size - 3)).toBeNull();
  });
});
