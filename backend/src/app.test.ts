import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "./stack.ts";
import { testStack } from "./testing/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await testStack();
});
afterAll(() => stack.close());

describe("error answers", () => {
  it("name a client error by its own status, not always Bad Request", async () => {
    const media = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      headers: { "content-type": "text/xml" },
      payload: "<login/>",
    });
    expect(media.statusCode).toBe(415);
    expect(media.json()).toMatchObject({ statusCode: 415, error: "Unsupported Media Type" });

    const invalid = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      headers: { "content-type": "application/json" },
      payload: "{",
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ statusCode: 400, error: "Bad Request" });
  });
});
