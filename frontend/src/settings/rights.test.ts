import { describe, expect, it } from "vitest";
import { assignable, managesAnySite, mayDelete, mayManage } from "./rights.ts";

const admin = { instanceAdmin: true, sites: {} };
const siteAdmin = { instanceAdmin: false, sites: { a: "admin", b: "viewer" } } as const;
const owner = { instanceAdmin: false, sites: { a: "owner" } } as const;

describe("rights", () => {
  it("lets owners and admins manage, owners delete, instance admins everything", () => {
    expect(mayManage(siteAdmin, "a")).toBe(true);
    expect(mayManage(siteAdmin, "b")).toBe(false);
    expect(mayManage(siteAdmin, "c")).toBe(false);
    expect(mayDelete(siteAdmin, "a")).toBe(false);
    expect(mayDelete(owner, "a")).toBe(true);
    expect(mayDelete(admin, "x")).toBe(true);
    expect(managesAnySite({ instanceAdmin: false, sites: { a: "editor" } })).toBe(false);
    expect(managesAnySite(siteAdmin)).toBe(true);
  });

  it("hands out roles up to one's own, and leaves owners to owners", () => {
    expect(assignable(siteAdmin, "a", null)).toEqual(["admin", "editor", "viewer"]);
    expect(assignable(siteAdmin, "a", "owner")).toEqual([]);
    expect(assignable(siteAdmin, "b", null)).toEqual([]);
    expect(assignable(owner, "a", "owner")).toEqual(["owner", "admin", "editor", "viewer"]);
    expect(assignable(admin, "z", null)).toEqual(["owner", "admin", "editor", "viewer"]);
  });
});
