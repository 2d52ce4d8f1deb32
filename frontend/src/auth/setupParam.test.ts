import { describe, expect, it } from "vitest";
import { readSetupToken, withoutSetupParam } from "./setupParam.ts";

describe("setup link parameter", () => {
  it("reads the token, or an empty string when absent", () => {
    expect(readSetupToken("?setup=abc123")).toBe("abc123");
    expect(readSetupToken("?site=x")).toBe("");
  });

  it("removes only the setup parameter", () => {
    expect(withoutSetupParam({ pathname: "/", search: "?setup=abc", hash: "" })).toBe("/");
    expect(withoutSetupParam({ pathname: "/", search: "?site=x&setup=abc", hash: "#top" })).toBe(
      "/?site=x#top",
    );
  });

  it("returns null when there is nothing to remove", () => {
    expect(withoutSetupParam({ pathname: "/", search: "?site=x", hash: "" })).toBeNull();
  });
});
