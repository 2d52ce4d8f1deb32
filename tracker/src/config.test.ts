import { describe, expect, it } from "vitest";
import { readConfig, scriptFolder } from "./config.ts";
import { addScript, createPage } from "./testing.ts";

describe("scriptFolder", () => {
  it.each([
    ["https://shop.com/sl/s.js", "https://shop.com/sl"],
    ["https://shop.com/s.js", "https://shop.com"],
    ["https://shop.com/a/b/s.js?v=2/3#x", "https://shop.com/a/b"],
    ["/sl/s.js", "https://page.com/sl"],
    ["s.js", "https://page.com/blog"],
    ["//cdn.example.net/t/s.js", "https://cdn.example.net/t"],
  ])("%s -> %s", (src, base) => {
    expect(scriptFolder(src, "https://page.com/blog/post")).toBe(base);
  });
});

describe("readConfig", () => {
  it("uses the folder the script was loaded from as the collector base", () => {
    const { w } = createPage("https://shop.com/products/a");
    const script = addScript(w, { src: "/sl/s.js", "data-site": "shop.com" });
    expect(readConfig(script)).toEqual({ site: "shop.com", base: "https://shop.com/sl" });
  });

  it("resolves against <base href>, as the browser does for the script itself", () => {
    const { w } = createPage("https://shop.com/products/a");
    const base = w.document.createElement("base");
    base.href = "https://static.shop.com/assets/";
    w.document.head.appendChild(base);
    const script = addScript(w, { src: "sl/s.js", "data-site": "shop.com" });
    expect(readConfig(script)?.base).toBe("https://static.shop.com/assets/sl");
  });

  it("lets data-api override the base, without trailing slashes", () => {
    const { w } = createPage();
    const script = addScript(w, {
      src: "/sl/s.js",
      "data-site": "shop.com",
      "data-api": "https://collect.example.com/api/",
    });
    expect(readConfig(script)).toEqual({
      site: "shop.com",
      base: "https://collect.example.com/api",
    });
  });

  it("accepts data-api without a src (inline or bundled script)", () => {
    const { w } = createPage();
    const script = addScript(w, { "data-site": "shop.com", "data-api": "/collect" });
    expect(readConfig(script)).toEqual({ site: "shop.com", base: "/collect" });
  });

  it("returns null without data-site, without a script, or with nowhere to send", () => {
    const { w } = createPage();
    expect(readConfig(addScript(w, { src: "/sl/s.js" }))).toBeNull();
    expect(readConfig(addScript(w, { src: "/sl/s.js", "data-site": "" }))).toBeNull();
    expect(readConfig(addScript(w, { "data-site": "shop.com" }))).toBeNull();
    expect(readConfig(null)).toBeNull();
  });
});
