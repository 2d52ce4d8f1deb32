import { hmacHex } from "@sightline/edge";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nodeHmacHex } from "./hmac.ts";

describe("nodeHmacHex", () => {
  it("gives exactly the hex of edge's Web Crypto hmacHex, unicode included", async () => {
    await fc.assert(
      // Salts are never empty (Web Crypto refuses empty keys); messages may hold anything.
      fc.asyncProperty(
        fc.string({ minLength: 1, unit: "grapheme" }),
        fc.string({ unit: "binary" }),
        async (key, message) => {
          expect(nodeHmacHex(key, message)).toBe(await hmacHex(key, message));
        },
      ),
      { numRuns: 300 },
    );
    expect(nodeHmacHex("salt", "visitor|example.com|203.0.113.5|Mozilla/5.0 ☃")).toBe(
      await hmacHex("salt", "visitor|example.com|203.0.113.5|Mozilla/5.0 ☃"),
    );
  });
});
