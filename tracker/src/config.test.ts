import { describe, expect, it } from "vitest";
import { readConfig } from "./config.ts";

function script(attrs: Record<string, string>): HTMLScriptElement {
  const s = document.createElement("script");
  for (const [k, v] of Object.entries(attrs)) s.setAttribute(k, v);
  document.head.appendChild(s);
  return s;
}

describe("readConfig", () => {
  it("uses the folder the script was loaded from as the collector base", () => {
    const c = readConfig(script({ src: "https://shop.com/sl/s.js?v=2", "data-site": "shop.com" }));
    expect(c).toMatchObject({
      site: "shop.com",
      base: "https://shop.com/sl/",
      folder: "https://shop.com/sl/",
    });
  });

  it("lets data-api override the base, with exactly one trailing slash", () => {
    const c = readConfig(
      script({
        src: "/sl/s.js",
        "data-site": "shop.com",
        "data-api": "https://collect.example.com/api//",
      }),
    );
    expect(c?.base).toBe("https://collect.example.com/api/");
    expect(c?.folder).toBe(`${location.origin}/sl/`);
  });

  it("reads other attributes, null when absent", () => {
    const c = readConfig(
      script({ src: "/s.js", "data-site": "a", "data-hash": "", "data-exclude": "scroll" }),
    );
    expect(c?.attr("hash")).toBe("");
    expect(c?.attr("exclude")).toBe("scroll");
    expect(c?.attr("identity")).toBeNull();
  });

  it("returns null without data-site, without a script, or with nowhere to send", () => {
    expect(readConfig(script({ src: "/sl/s.js" }))).toBeNull();
    expect(readConfig(script({ src: "/sl/s.js", "data-site": "" }))).toBeNull();
    expect(readConfig(script({ "data-site": "shop.com" }))).toBeNull();
    expect(readConfig(null)).toBeNull();
  });
});
