import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { DeadLetters } from "./dead-letter.ts";
import { FileInserter, sqlString, wholeFileInsert } from "./file-insert.ts";
import { LineInserter } from "./line-insert.ts";
import { tokenFor } from "./lines.ts";
import { SpoolFolder } from "./spool-folder.ts";
import { bot, type Call, clickhouseError, fakeClient, human } from "./testing.ts";

let spool: SpoolFolder;
beforeEach(() => {
  spool = new SpoolFolder(mkdtempSync(join(tmpdir(), "sl-files-")));
});

const FILE = "events-1.ndjson";
const COLUMNS = [
  { name: "event_id", type: "String" },
  { name: "site_id", type: "LowCardinality(String)" },
  { name: "is_bot", type: "UInt8" },
];

function setup(refuse?: (call: Call) => Error | null) {
  const main = fakeClient(refuse, COLUMNS);
  const lane = fakeClient(refuse, COLUMNS);
  const token = (ranges: Parameters<typeof tokenFor>[1]) => tokenFor("spool", ranges);
  const lines = new LineInserter({
    client: main.client,
    token,
    batchBytes: 1 << 20,
    deadLetter: true,
    deadLetters: new DeadLetters({ client: main.client, spool }),
  });
  const logs: string[] = [];
  let sent = 0;
  const files = new FileInserter({
    client: main.client,
    spool,
    token,
    lines,
    onSend: () => sent++,
    log: (m) => logs.push(m),
  });
  return { files, main, lane, logs, sent: () => sent };
}

describe("FileInserter", () => {
  it("has the engine read the file's human rows, and sends its bot lines as bytes on the same session", async () => {
    const text = human("a") + bot("b") + human("c");
    writeFileSync(spool.path(FILE), text);
    const { files, main, lane, sent } = setup();
    const range = { file: FILE, start: 0, end: text.length };
    expect(await files.insert(range, lane.client)).toEqual({ humans: 2, bots: 1 });
    const [read, bots] = lane.calls;
    expect(read).toEqual({
      method: "command",
      query: wholeFileInsert(spool.path(FILE), "event_id String, site_id String, is_bot UInt8"),
      body: "",
      token: `spool/${FILE}:0-${text.length}`,
    });
    expect(read?.query).toMatch(/WHERE is_bot = 0$/);
    expect(bots).toMatchObject({
      method: "exec",
      query: "INSERT INTO sightline.bot_events FORMAT JSONEachRow",
      body: bot("b"),
      token: `spool/${FILE}:${human("a").length}-${human("a").length + bot("b").length}`,
    });
    // The columns are read once, on the main session.
    await files.insert(range, lane.client);
    expect(main.calls.map((c) => c.method)).toEqual(["query"]);
    expect(sent()).toBe(2);
  });

  it("leaves a file with a torn last line to the line path, without asking the engine", async () => {
    const text = `${human("a")}{"event_id":"to`;
    writeFileSync(spool.path(FILE), text);
    const { files, lane } = setup();
    expect(await files.insert({ file: FILE, start: 0, end: text.length }, lane.client)).toBeNull();
    expect(lane.calls).toEqual([]);
  });

  it("leaves a file the engine refuses as bad data to the line path, and throws anything else", async () => {
    const text = human("a") + bot("b");
    writeFileSync(spool.path(FILE), text);
    const range = { file: FILE, start: 0, end: text.length };
    const bad = setup((c) => (c.method === "command" ? clickhouseError(27, "bad row") : null));
    expect(await bad.files.insert(range, bad.lane.client)).toBeNull();
    expect(bad.lane.calls).toEqual([]);
    expect(bad.logs.join()).toMatch(/refused as a whole, shipping it line by line/);
    const down = setup((c) => (c.method === "command" ? new Error("ECONNRESET") : null));
    await expect(down.files.insert(range, down.lane.client)).rejects.toThrow(/ECONNRESET/);
  });
});

describe("wholeFileInsert", () => {
  it("names the file and its structure as string literals", () => {
    const sql = wholeFileInsert("/spool/o'brien.ndjson", "a String");
    expect(sql).toContain(`file(${sqlString("/spool/o'brien.ndjson")}, 'JSONEachRow', 'a String')`);
    expect(sqlString("o'b\\x")).toBe("'o\\'b\\\\x'");
  });
});
