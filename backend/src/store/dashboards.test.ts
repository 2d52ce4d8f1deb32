// The dashboard store on a real LMDB folder: versions and their history, the schema upgrade path,
// and kill -9 in the middle of writes (a child process writing through this very module).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { open, type RootDatabase } from "lmdb";
import { Type } from "typebox";
import { Compile } from "typebox/compile";
import { afterEach, describe, expect, it } from "vitest";
import { Dashboard } from "../schemas/dashboards.ts";
import { crashContent } from "./dashboards.crash-writer.ts";
import { DashboardStore, HISTORY, migrateDashboard, SCHEMA_VERSION } from "./dashboards.ts";

const BACKEND_DIR = fileURLToPath(new URL("../..", import.meta.url));
const WRITER = fileURLToPath(new URL("./dashboards.crash-writer.ts", import.meta.url));

const roots: RootDatabase[] = [];
afterEach(async () => {
  for (const root of roots.splice(0)) await root.close();
});

function openRoot(path = mkdtempSync(join(tmpdir(), "sl-dashboards-"))) {
  const root = open({ path });
  roots.push(root);
  return { root, path, store: new DashboardStore(root) };
}

const content = (name: string) => ({
  name,
  description: "",
  sites: ["example.com"],
  widgets: [
    {
      id: "a",
      name: "Note",
      source: { kind: "none" as const },
      visual: { type: "text" as const, options: { markdown: "# hi" } },
    },
  ],
  layout: [{ widget: "a", x: 0, y: 0, w: 12, h: 2 }],
  defaults: { compare: null, filters: [] },
});

describe("DashboardStore", () => {
  it("writes version 1 on create and one more version per update, each with its snapshot", () => {
    const { store } = openRoot();
    const created = store.create(content("First"), "a@example.test");
    expect(created).toMatchObject({ name: "First", version: 1, updatedBy: "a@example.test" });
    const result = store.update(created.id, 1, "b@example.test", (c) => ({ ...c, name: "Second" }));
    expect(result).toMatchObject({ status: "ok", dashboard: { name: "Second", version: 2 } });
    expect(store.get(created.id)).toMatchObject({ version: 2, updatedBy: "b@example.test" });
    expect(store.history(created.id).map((d) => [d.version, d.name])).toEqual([
      [2, "Second"],
      [1, "First"],
    ]);
    expect(store.version(created.id, 1)?.name).toBe("First");
  });

  it("writes nothing for a stale version or a change that throws", () => {
    const { store } = openRoot();
    const { id } = store.create(content("Kept"), "a@example.test");
    store.update(id, 1, "a@example.test", (c) => c);
    const before = { current: store.get(id), history: store.history(id) };
    expect(store.update(id, 1, "b@example.test", (c) => ({ ...c, name: "Lost" }))).toEqual({
      status: "stale",
      version: 2,
    });
    expect(() =>
      store.update(id, 2, "b@example.test", () => {
        throw new Error("refused");
      }),
    ).toThrow("refused");
    expect(store.remove(id, 1)).toEqual({ status: "stale", version: 2 });
    expect({ current: store.get(id), history: store.history(id) }).toEqual(before);
    expect(store.update("nope", 1, "a@example.test", (c) => c)).toEqual({ status: "missing" });
  });

  it(`keeps the last ${HISTORY} versions, pruned as it writes, and deletes them with the dashboard`, () => {
    const { store } = openRoot();
    const { id } = store.create(content("v1"), "a@example.test");
    for (let v = 1; v < 25; v++) {
      store.update(id, v, "a@example.test", (c) => ({ ...c, name: `v${v + 1}` }));
    }
    const history = store.history(id);
    expect(history.map((d) => d.version)).toEqual(
      Array.from({ length: HISTORY }, (_, i) => 25 - i),
    );
    expect(history[0]).toEqual(store.get(id));
    expect(store.version(id, 5)).toBeUndefined();
    expect(store.version(id, 6)?.name).toBe("v6");
    expect(store.remove(id, 25)).toEqual({ status: "ok" });
    expect(store.get(id)).toBeUndefined();
    expect(store.history(id)).toEqual([]);
  });
});

describe("migrateDashboard", () => {
  // As a record from before schemaVersion could be: no description, defaults, updatedBy; a
  // layout entry of a widget that is gone, and a widget without an entry.
  const older = {
    id: "old",
    name: "Old",
    sites: ["example.com"],
    widgets: [
      {
        id: "kept",
        name: "Kept",
        source: { kind: "none" },
        visual: { type: "text" },
      },
      { id: "unplaced", name: "Unplaced", source: { kind: "none" }, visual: { type: "text" } },
    ],
    layout: [
      { widget: "kept", x: 0, y: 0, w: 6, h: 3 },
      { widget: "gone", x: 6, y: 0, w: 6, h: 3 },
    ],
    version: 3,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-02T00:00:00.000Z",
  };

  it("upgrades a hand-made older record to the current schema", () => {
    const upgraded = migrateDashboard(older);
    expect(upgraded).toEqual({
      ...older,
      schemaVersion: SCHEMA_VERSION,
      description: "",
      defaults: { compare: null, filters: [] },
      updatedBy: "",
      layout: [
        { widget: "kept", x: 0, y: 0, w: 6, h: 3 },
        { widget: "unplaced", x: 0, y: 3, w: 12, h: 4 },
      ],
    });
    expect(migrateDashboard(upgraded)).toEqual(upgraded);
    expect(() => migrateDashboard({ ...older, schemaVersion: SCHEMA_VERSION + 1 })).toThrow(
      /newer|reads up to/,
    );
  });

  it("is applied on read, and the start-up pass rewrites old records in place", async () => {
    const { root, store } = openRoot();
    const raw = root.openDB<unknown, string>({ name: "dashboards" });
    const rawVersions = root.openDB<unknown, [string, number]>({ name: "dashboard-versions" });
    await raw.put("old", older);
    await rawVersions.put(["old", 3], older);
    await raw.put("future", { ...older, id: "future", schemaVersion: SCHEMA_VERSION + 1 });

    expect(store.get("old")).toMatchObject({ description: "", updatedBy: "", version: 3 });
    expect(store.version("old", 3)?.layout).toHaveLength(2);
    expect(() => store.get("future")).toThrow(/reads up to/);

    expect(store.migrateStored()).toEqual({ migrated: 2, newer: 1 });
    expect(raw.get("old")).toMatchObject({ schemaVersion: SCHEMA_VERSION, description: "" });
    expect(rawVersions.get(["old", 3])).toMatchObject({ schemaVersion: SCHEMA_VERSION });
    expect(raw.get("future")).toMatchObject({ schemaVersion: SCHEMA_VERSION + 1 });
    expect(store.migrateStored()).toEqual({ migrated: 0, newer: 1 });
    // The upgraded record takes writes like any other.
    const next = store.update("old", 3, "a@example.test", (c) => c);
    expect(next).toMatchObject({ status: "ok", dashboard: { version: 4 } });
  });
});

describe("kill -9 while writing", () => {
  const Stored = Compile(
    Type.Object({ ...Dashboard.properties, schemaVersion: Type.Literal(SCHEMA_VERSION) }),
  );

  function startWriter(dir: string, acks: string): ChildProcess {
    return spawn(process.execPath, ["--import", "tsx", WRITER, dir, acks], {
      cwd: BACKEND_DIR,
      stdio: ["ignore", "ignore", "pipe"],
    });
  }

  const ackLines = (acks: string) => {
    try {
      return readFileSync(acks, "utf8").split("\n").filter(Boolean);
    } catch {
      return [];
    }
  };

  async function untilAcked(acks: string, count: number, child: ChildProcess): Promise<void> {
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const started = Date.now();
    while (ackLines(acks).length < count) {
      if (child.exitCode !== null) throw new Error(`writer exited early:\n${stderr}`);
      if (Date.now() - started > 60_000) throw new Error(`writer too slow:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it("leaves every dashboard whole, its history consistent and every acknowledged write in place", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sl-dashboards-kill-"));
    const acks = join(dir, "acks.txt");
    const lmdb = join(dir, "lmdb");
    for (let round = 0; round < 5; round++) {
      const child = startWriter(lmdb, acks);
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await untilAcked(acks, ackLines(acks).length + 40, child);
      // Somewhere in the middle of the next writes.
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      child.kill("SIGKILL");
      await exited;
    }

    const { root, store } = openRoot(lmdb);
    const keys = [
      ...root.openDB<unknown, [string, number]>({ name: "dashboard-versions" }).getKeys(),
    ];
    const current = store.list();
    expect(current.length).toBeGreaterThan(0);
    const byId = new Map(current.map((d) => [d.id, d]));

    for (const d of current) {
      const raw = root.openDB<unknown, string>({ name: "dashboards" }).get(d.id);
      expect(Stored.Check(raw), `${d.id} parses`).toBe(true);
      expect(d).toMatchObject(crashContent(d.version));
      const history = store.history(d.id).reverse();
      const versions = history.map((h) => h.version);
      expect(versions.length).toBeLessThanOrEqual(HISTORY);
      expect(versions.length).toBe(Math.min(d.version, HISTORY));
      expect(versions).toEqual(versions.map((_, i) => d.version - versions.length + 1 + i));
      expect(history.at(-1)).toEqual(d);
      for (const h of history) expect(h).toMatchObject(crashContent(h.version));
    }
    // No history without its dashboard: a delete is all or nothing too.
    for (const [id] of keys) expect(byId.has(id), `history of ${id}`).toBe(true);

    // The last acknowledged state of each dashboard: a version, "deleting" or "deleted".
    const acked = new Map<string, { version: number; state: string }>();
    for (const line of ackLines(acks)) {
      const [id = "", what = ""] = line.split(" ");
      const before = acked.get(id)?.version ?? 0;
      acked.set(
        id,
        Number.isNaN(Number(what))
          ? { version: before, state: what }
          : { version: Number(what), state: "written" },
      );
    }
    expect(acked.size).toBeGreaterThan(4);
    for (const [id, { version, state }] of acked) {
      const stored = byId.get(id);
      if (state === "deleted") expect(stored, `${id} was deleted`).toBeUndefined();
      else if (state === "written" || stored) {
        expect(stored?.version ?? 0, `${id} v${version}`).toBeGreaterThanOrEqual(version);
      }
    }
  });
});
