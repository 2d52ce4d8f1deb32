import { describe, expect, it } from "vitest";
import { createClientIpResolver } from "./client-ip.ts";

const headers = (h: Record<string, string>) => (name: string) => h[name];

describe("client IP resolution", () => {
  it("ignores forwarding headers from untrusted peers", () => {
    const resolve = createClientIpResolver([]);
    expect(resolve("198.51.100.7", headers({ "x-forwarded-for": "1.2.3.4" }))).toBe("198.51.100.7");
  });

  it("believes configured proxies and skips them in the chain", () => {
    const resolve = createClientIpResolver(["10.0.0.0/8", "127.0.0.1"]);
    expect(
      resolve("::ffff:127.0.0.1", headers({ "x-forwarded-for": "1.2.3.4, 203.0.113.5, 10.1.1.1" })),
    ).toBe("203.0.113.5");
    expect(resolve("10.2.3.4", headers({ "x-real-ip": "192.0.2.44" }))).toBe("192.0.2.44");
  });

  it("refuses a malformed proxy entry", () => {
    expect(() => createClientIpResolver(["not-an-ip"])).toThrow(/trustedProxies/);
  });
});
