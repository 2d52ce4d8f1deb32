import { describe, expect, it } from "vitest";
import { sessionOf } from "./token.ts";

const jwt = (claims: object) =>
  `eyJhbGciOiJIUzI1NiJ9.${btoa(JSON.stringify(claims)).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_")}.sig`;

describe("sessionOf", () => {
  it("is the same for a renewed access token of the same session", () => {
    const first = jwt({ sub: "u1", sid: "s1", tv: 1, exp: 100 });
    const renewed = jwt({ sub: "u1", sid: "s1", tv: 1, exp: 1000 });
    expect(first).not.toBe(renewed);
    expect(sessionOf(renewed)).toBe(sessionOf(first));
  });

  it("differs for another session or another user, and for no token", () => {
    const a = sessionOf(jwt({ sub: "u1", sid: "s1" }));
    expect(sessionOf(jwt({ sub: "u1", sid: "s2" }))).not.toBe(a);
    expect(sessionOf(jwt({ sub: "u2", sid: "s1" }))).not.toBe(a);
    expect(sessionOf(null)).toBeNull();
  });

  it("takes a token it cannot read as its own session", () => {
    expect(sessionOf("not-a-jwt")).toBe("not-a-jwt");
    expect(sessionOf("a.%%%.c")).toBe("a.%%%.c");
  });
});
