// The users migration: records of the single-role days (schema 1, keyed by email) become
// schema 2 (keyed by id, an email index, per-site roles), once, in one transaction.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { open } from "lmdb";
import { describe, expect, it } from "vitest";
import { PasswordHasher } from "../auth/password.ts";
import { MetaStore } from "./store.ts";

describe("users schema 1 → 2", () => {
  it("makes admins instance admins and viewers viewers of every site, keeping passwords", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "sl-users-")), "lmdb");
    const hasher = new PasswordHasher();
    const hash = await hasher.hash("the old admin password");
    // Written as src/store/store.ts wrote users before roles: keyed by email.
    const root = open({ path });
    const users = root.openDB({ name: "users" });
    await users.put("boss@example.test", {
      id: "u-1",
      email: "boss@example.test",
      role: "admin",
      passwordHash: hash,
      createdAt: "2026-01-01T00:00:00.000Z",
    });
    await users.put("reader@example.test", {
      id: "u-2",
      email: "reader@example.test",
      role: "viewer",
      passwordHash: hash,
      createdAt: "2026-01-02T00:00:00.000Z",
    });
    await root.close();

    const store = new MetaStore(path);
    store.createSite({ id: "a.test", name: "A", domains: ["a.test"] });
    store.createSite({ id: "b.test", name: "B", domains: ["b.test"] });
    expect(store.users.migrateStored(store.listSites().map((s) => s.id))).toEqual({ migrated: 2 });
    expect(store.users.byEmail("BOSS@example.test")).toMatchObject({
      id: "u-1",
      instanceAdmin: true,
      roles: {},
      disabled: false,
      tokenVersion: 0,
      createdAt: "2026-01-01T00:00:00.000Z",
    });
    const reader = store.users.get("u-2");
    expect(reader).toMatchObject({
      email: "reader@example.test",
      instanceAdmin: false,
      roles: { "a.test": "viewer", "b.test": "viewer" },
    });
    expect(await hasher.verify("the old admin password", reader?.passwordHash ?? "")).toBe(true);
    expect(store.users.count()).toBe(2);
    // Once: a second pass finds nothing to do.
    expect(store.users.migrateStored(["a.test", "b.test", "c.test"])).toEqual({ migrated: 0 });
    expect(store.users.get("u-2")?.roles).toEqual({ "a.test": "viewer", "b.test": "viewer" });
    await store.close();

    // The raw records: keyed by id with a schema version, and the email index.
    const raw = open({ path });
    expect(raw.openDB({ name: "users" }).get("u-1")).toMatchObject({ schemaVersion: 2 });
    expect(raw.openDB({ name: "users" }).get("boss@example.test")).toBeUndefined();
    expect(raw.openDB({ name: "user-emails" }).get("reader@example.test")).toBe("u-2");
    await raw.close();
  });
});
