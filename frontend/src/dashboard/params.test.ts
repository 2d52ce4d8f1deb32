import { describe, expect, it } from "vitest";
import { pickSite, readParams, writeParams } from "./params.ts";

const sites = [
  { id: "a.com", name: "A", domains: ["a.com"] },
  { id: "b.com", name: "B", domains: ["b.com"] },
];

describe("readParams", () => {
  it("defaults to the last 30 days and no site", () => {
    expect(readParams("")).toEqual({ site: null, range: { kind: "preset", preset: "30d" } });
  });

  it("reads a site and a preset", () => {
    expect(readParams("?site=b.com&range=7d")).toEqual({
      site: "b.com",
      range: { kind: "preset", preset: "7d" },
    });
  });

  it("reads a valid custom range", () => {
    expect(readParams("?range=custom&from=2026-01-01&to=2026-01-31").range).toEqual({
      kind: "custom",
      from: "2026-01-01",
      to: "2026-01-31",
    });
  });

  it("falls back to the default for unknown presets and broken custom ranges", () => {
    const fallback = { kind: "preset", preset: "30d" };
    expect(readParams("?range=forever").range).toEqual(fallback);
    expect(readParams("?range=custom&from=2026-02-01&to=2026-01-01").range).toEqual(fallback);
    expect(readParams("?range=custom&from=nope&to=2026-01-01").range).toEqual(fallback);
  });
});

describe("writeParams", () => {
  it("leaves the default range out of the URL", () => {
    expect(writeParams("", { site: "a.com", range: { kind: "preset", preset: "30d" } })).toBe(
      "?site=a.com",
    );
    expect(writeParams("?range=7d", { site: null, range: { kind: "preset", preset: "30d" } })).toBe(
      "",
    );
  });

  it("writes presets and custom ranges, replacing old values and keeping foreign ones", () => {
    expect(
      writeParams("?utm=x&range=custom&from=2026-01-01&to=2026-01-02", {
        site: "b.com",
        range: { kind: "preset", preset: "90d" },
      }),
    ).toBe("?utm=x&site=b.com&range=90d");
    expect(
      writeParams("?site=a.com", {
        site: "a.com",
        range: { kind: "custom", from: "2026-01-01", to: "2026-01-31" },
      }),
    ).toBe("?site=a.com&range=custom&from=2026-01-01&to=2026-01-31");
  });

  it("round-trips through readParams", () => {
    const params = {
      site: "b.com",
      range: { kind: "custom", from: "2025-12-01", to: "2026-01-15" },
    } as const;
    expect(readParams(writeParams("", params))).toEqual(params);
  });
});

describe("pickSite", () => {
  it("prefers the URL, then the remembered site, then the first", () => {
    expect(pickSite(sites, "b.com", "a.com")).toBe("b.com");
    expect(pickSite(sites, null, "b.com")).toBe("b.com");
    expect(pickSite(sites, null, null)).toBe("a.com");
  });

  it("ignores ids that no longer exist", () => {
    expect(pickSite(sites, "gone.com", "also-gone.com")).toBe("a.com");
    expect(pickSite(sites, "gone.com", "b.com")).toBe("b.com");
  });

  it("returns null when there are no sites", () => {
    expect(pickSite([], "a.com", "a.com")).toBeNull();
  });
});
