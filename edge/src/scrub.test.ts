import { describe, expect, it } from "vitest";
import { looksLikeEmail, scrubText } from "./scrub.ts";

describe("scrubText", () => {
  it.each([
    ["/users/jane.doe@example.com/settings", "/users/[email]/settings"],
    ["/u/jane%40example.co.uk", "/u/[email]"],
    ["Contact JANE+news@Mail.Example.ORG now", "Contact [email] now"],
    ["/reset/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig_nature-1", "/reset/[token]"],
    ["/orders/3f2b6c1e-9d4a-4b7e-8f00-1234567890ab", "/orders/[token]"],
    ["/verify/d41d8cd98f00b204e9800998ecf8427e", "/verify/[token]"],
    ["key sk_live_51HxYzAbCdEf0123456789 used", "key [token] used"],
    ["/blog/how-to-ship-analytics-in-2024", "/blog/how-to-ship-analytics-in-2024"],
    ["/products/12345", "/products/12345"],
    ["/docs/getting_started_guide_v2", "/docs/getting_started_guide_v2"],
    ["fp 9f86d081", "fp 9f86d081"],
    ["plain text", "plain text"],
    ["", ""],
  ])("%s → %s", (input, expected) => {
    expect(scrubText(input)).toBe(expected);
  });

  it("recognises email-shaped strings", () => {
    expect(looksLikeEmail("a.b@c.io")).toBe(true);
    expect(looksLikeEmail("user-42")).toBe(false);
    expect(looksLikeEmail("a.b@c.io")).toBe(true);
  });
});
