import { describe, expect, it } from "vitest";
import { linkKind, readLinkToken } from "./linkToken.ts";

describe("one-time links", () => {
  it("knows its two pages", () => {
    expect(linkKind("/invitation")).toBe("invitation");
    expect(linkKind("/password-reset")).toBe("reset");
    expect(linkKind("/invitation/x")).toBe(null);
  });

  it("reads the token after #", () => {
    expect(readLinkToken("#token=abc-DEF_1")).toBe("abc-DEF_1");
    expect(readLinkToken("")).toBe("");
    expect(readLinkToken("#other=1")).toBe("");
  });
});
