import { mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSitesDb } from "@sightline/config";
import { open } from "lmdb";
import { describe, expect, it } from "vitest";
import { FileSiteDirectory, LmdbSiteDirectory } from "./sites.ts";

describe("LmdbSiteDirectory", () => {
  it("reads the backend's sites database in the shared LMDB folder", async () => {
    const path = mkdtempSync(join(tmpdir(), "sl-lmdb-"));
    // Written the way backend/src/store/store.ts writes it (a record of an older release).
    const root = open({ path });
    const sites = openSitesDb(root);
    await sites.put("shop.test", {
      id: "shop.test",
      name: "Shop",
      domains: ["shop.test"],
      timezone: "Europe/Berlin",
      createdAt: "2026-11-23T00:00:00Z",
    });
    const directory = new LmdbSiteDirectory(path);
    expect(directory.get("shop.test")).toEqual({ id: "shop.test", domains: ["shop.test"] });
    expect(directory.get("other.test")).toBeUndefined();
    await directory.close();
    await root.close();
  });
});

describe("FileSiteDirectory", () => {
  it("reads a JSON list and refuses a bad one with the file's name", () => {
    const dir = mkdtempSync(join(tmpdir(), "sl-sites-"));
    const file = join(dir, "sites.json");
    writeFileSync(file, JSON.stringify([{ id: "a.test", domains: ["a.test", "b.test"] }]));
    const directory = new FileSiteDirectory(file);
    expect(directory.get("a.test")?.domains).toEqual(["a.test", "b.test"]);
    writeFileSync(join(dir, "bad.json"), JSON.stringify([{ id: "x" }]));
    expect(() => new FileSiteDirectory(join(dir, "bad.json"))).toThrow(/bad\.json/);
  });

  it("picks up changes to the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sl-sites-"));
    const file = join(dir, "sites.json");
    writeFileSync(file, "[]");
    const directory = new FileSiteDirectory(file);
    expect(directory.get("late.test")).toBeUndefined();
    writeFileSync(file, JSON.stringify([{ id: "late.test", domains: ["late.test"] }]));
    const later = new Date(Date.now() + 10_000);
    utimesSync(file, later, later);
    const realNow = Date.now;
    Date.now = () => realNow() + 6_000; // past the 5 s re-check interval
    try {
      expect(directory.get("late.test")?.id).toBe("late.test");
    } finally {
      Date.now = realNow;
    }
  });
});
