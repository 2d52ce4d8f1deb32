import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { DeadLetters } from "./dead-letter.ts";
import { LineInserter } from "./line-insert.ts";
import { tokenFor } from "./lines.ts";
import { SpoolFolder } from "./spool-folder.ts";
import { bot, type Call, clickhouseError, fakeClient, human } from "./testing.ts";

let spool: SpoolFolder;
beforeEach(() => {
  spool = new SpoolFolder(mkdtempSync(join(tmpdir(), "sl-lines-")));
});

const FILE = "events-1.ndjson";

function inserter(refuse?: (call: Call) => Error | null, deadLetter = true) {
  const { client, calls } = fakeClient(refuse);
  let stored = 0;
  let sent = 0;
  const lines = new LineInserter({
    client,
    token: (ranges) => tokenFor("spool", ranges),
    batchBytes: 1000,
    deadLetter,
    deadLetters: new DeadLetters({ client, spool, onStored: () => stored++ }),
    onSend: () => sent++,
  });
  return { lines, calls, stored: () => stored, sent: () => sent };
}

describe("LineInserter", () => {
  it("sends human traffic to events and bots to bot_events, each with the token of its own ranges", async () => {
    const text = human("h1") + bot("b1") + human("h2") + human("h3");
    const { lines, calls, sent } = inserter();
    const range = { file: FILE, start: 100, end: 100 + text.length };
    const shipped = await lines.ship([range], [Buffer.from(text)]);
    expect(shipped.humans.map((l) => l.data.toString())).toEqual([
      human("h1"),
      human("h2"),
      human("h3"),
    ]);
    expect(shipped.bots.map((l) => l.start)).toEqual([100 + human("h1").length]);
    const h1 = human("h1").length;
    const b1 = bot("b1").length;
    expect(calls).toEqual([
      {
        method: "exec",
        query: "INSERT INTO sightline.events FORMAT JSONEachRow",
        body: human("h1") + human("h2") + human("h3"),
        token: `spool/${FILE}:100-${100 + h1},${FILE}:${100 + h1 + b1}-${range.end}`,
      },
      {
        method: "exec",
        query: "INSERT INTO sightline.bot_events FORMAT JSONEachRow",
        body: bot("b1"),
        token: `spool/${FILE}:${100 + h1}-${100 + h1 + b1}`,
      },
    ]);
    expect(sent()).toBe(1);
  });

  it("routes by the row writer's bot marker, never by text a person's row happens to hold", async () => {
    const lookalike = human("h-look", {
      pathname: '/"is_bot":1,"props":{}',
      props: { is_bot: "1" },
    });
    const text = lookalike + bot("b-real", { props: { is_bot: "0" } });
    const { lines } = inserter();
    const shipped = await lines.ship(
      [{ file: FILE, start: 0, end: text.length }],
      [Buffer.from(text)],
    );
    expect(shipped.humans.map((l) => l.data.toString())).toEqual([lookalike]);
    expect(shipped.bots.map((l) => JSON.parse(l.data.toString()).event_id)).toEqual(["b-real"]);
  });

  it("bisects a batch refused as bad data until only the bad lines go to dead_letter", async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `h${i}`);
    const text = ids.map((id) => (id === "h5" ? `{"event_id":"h5","ts":"nope"}\n` : human(id)));
    const { lines, calls, stored } = inserter((call) =>
      call.method === "exec" && call.body.includes('"nope"')
        ? clickhouseError(41, "Cannot parse DateTime")
        : null,
    );
    const body = text.join("");
    await lines.ship([{ file: FILE, start: 0, end: body.length }], [Buffer.from(body)]);
    const inserted = calls.filter((c) => c.method === "exec").map((c) => c.body);
    expect(inserted.join("")).toBe(text.filter((_, i) => i !== 5).join(""));
    const dead = calls.filter((c) => c.method === "insert");
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]?.body ?? "")).toEqual([
      {
        source: "shipper",
        file: FILE,
        offset: text.slice(0, 5).join("").length,
        reason: "Code: 41. Cannot parse DateTime",
        line: '{"event_id":"h5","ts":"nope"}',
      },
    ]);
    expect(stored()).toBe(1);
  });

  it("gives each half of a bisected batch the token of its own ranges, so a resend bisects alike", async () => {
    const text = [human("a"), human("b"), human("c"), `not json\n`];
    const tokens = async () => {
      const { lines, calls } = inserter((call) =>
        call.body.includes("not json") && call.method === "exec"
          ? clickhouseError(27, "Cannot parse input")
          : null,
      );
      const body = text.join("");
      await lines.ship([{ file: FILE, start: 0, end: body.length }], [Buffer.from(body)]);
      return calls.map((c) => c.token);
    };
    const first = await tokens();
    expect(first).toEqual(await tokens());
    expect(first.filter(Boolean)).toHaveLength(2);
  });

  it("throws what is not bad data, and bad data too when dead letters are off", async () => {
    const body = human("a") + human("b");
    const range = { file: FILE, start: 0, end: body.length };
    const down = inserter(() => new Error("connect ECONNREFUSED"));
    await expect(down.lines.ship([range], [Buffer.from(body)])).rejects.toThrow(/ECONNREFUSED/);
    const strict = inserter((c) => (c.method === "exec" ? clickhouseError(6, "bad") : null), false);
    await expect(strict.lines.ship([range], [Buffer.from(body)])).rejects.toThrow(/Code: 6/);
    expect(strict.calls).toEqual([]);
  });

  it("dead-letters a line longer than a batch by its head, read from the file", async () => {
    const long = `{"event_id":"${"x".repeat(5000)}"}\n`;
    writeFileSync(spool.path(FILE), human("a") + long);
    const { lines, calls, stored } = inserter();
    const start = human("a").length;
    const shipped = await lines.ship([{ file: FILE, start, end: start + long.length }], []);
    expect(shipped).toEqual({ humans: [], bots: [] });
    const [dead] = calls;
    expect(dead?.method).toBe("insert");
    const [row] = JSON.parse(dead?.body ?? "[]");
    expect(row).toMatchObject({ file: FILE, offset: start });
    expect(row.reason).toBe(
      `line of ${long.length} bytes is longer than shipper.batchBytes (1000); its first ${long.length} bytes are kept`,
    );
    expect(row.line).toBe(long.slice(0, -1));
    expect(stored()).toBe(1);
  });
});
