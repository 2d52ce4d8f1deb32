import { LIMITS } from "@sightline/edge";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIREFOX, testCollector } from "./testing.ts";

// Property-based tests against the real HTTP server: every hostile body gets the right 4xx,
// the server keeps answering, and nothing of a rejected event reaches the spool.

let c: Awaited<ReturnType<typeof testCollector>>;
beforeAll(async () => {
  c = await testCollector({ SIGHTLINE_COLLECTOR_IP_RATE_PER_SECOND: "0" });
});
afterAll(() => c.close());

async function post(body: string | Uint8Array): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${c.base}/e`, {
    method: "POST",
    body,
    headers: { "content-type": "text/plain", "user-agent": FIREFOX },
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const RUNS = { numRuns: 80 };
const now = Date.now();
const goodEvent = fc.record({
  i: fc.stringMatching(/^good-[a-z0-9]{8,30}$/),
  n: fc.stringMatching(/^[\w.:-]{1,64}$/),
  t: fc.constant(now),
  u: fc
    .string({ unit: "grapheme", maxLength: 60 })
    .map((text) => `https://example.com/${encodeURIComponent(text)}`),
  p: fc.dictionary(
    fc.stringMatching(/^[a-z]{1,10}$/),
    fc.oneof(fc.string({ unit: "grapheme", maxLength: 60 }), fc.integer(), fc.boolean()),
    { maxKeys: 5 },
  ),
});
const badEvent = fc
  .tuple(
    goodEvent,
    fc.constantFrom("n", "t", "u", "p", "m", "em", "sd", "h", "zz"),
    fc.constantFrom(null, -1, "", 1.5, true, [1, 2], "x".repeat(3000)),
  )
  .map(([event, key, value]) => ({ ...event, i: event.i.replace("good-", "bad-"), [key]: value }));

describe("collector HTTP server under fuzzing", () => {
  it("answers arbitrary unicode and binary bodies with 400 or 413, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: "grapheme", maxLength: 300 }),
          fc.uint8Array({ maxLength: 300 }),
        ),
        async (body) => {
          const { status, json } = await post(body);
          expect([400, 403, 413]).toContain(status);
          expect(json).toMatchObject({
            status,
            code: expect.any(String),
            error: expect.any(String),
          });
        },
      ),
      RUNS,
    );
  });

  it("answers JSON of the wrong shape and every truncated body with 400", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue({ maxDepth: 3 }),
        goodEvent,
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        async (value, event, cut) => {
          expect((await post(JSON.stringify(value))).status).toBe(400);
          const body = JSON.stringify({ s: "example.com", e: [event] });
          const truncated = await post(body.slice(0, Math.floor(cut * body.length)));
          expect(truncated.status).toBe(400);
        },
      ),
      RUNS,
    );
  });

  it("answers deeply nested bodies with 400 and oversized ones with 413", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: LIMITS.maxDepth + 1, max: 20_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        async (depth, extra) => {
          const deep = `{"s":"example.com","e":${"[".repeat(depth)}${"]".repeat(depth)}}`;
          const deepStatus = (await post(deep)).status;
          expect(deepStatus).toBe(deep.length > LIMITS.bodyBytes ? 413 : 400);
          const big = "é".repeat(Math.ceil((LIMITS.bodyBytes + extra) / 2));
          expect((await post(big)).status).toBe(413);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("writes exactly the good events of mixed batches and never a rejected one", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(goodEvent, badEvent), { minLength: 1, maxLength: LIMITS.eventsPerBatch }),
        async (events) => {
          const { status } = await post(JSON.stringify({ s: "example.com", e: events }));
          const good = events.filter((e) => e.i.startsWith("good-"));
          expect(status).toBe(good.length > 0 ? 204 : 400);
        },
      ),
      RUNS,
    );
    const rows = c.spoolRows();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(String(row.event_id)).toMatch(/^good-/);
    expect(c.spoolText()).not.toContain('"bad-');
    // The server is still healthy after all of it.
    expect((await fetch(`${c.base}/healthz`)).status).toBe(200);
  });
});
