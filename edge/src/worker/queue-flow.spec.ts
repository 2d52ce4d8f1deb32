import { SELF } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { batch, pageview, parseNdjson, received, setFailing, waitFor } from "./test-support.ts";

const CLIENT_IP = "203.0.113.41";

// These tests go through the real Miniflare queue: ingest in the Worker, the queue broker, the
// Worker's consumer, then the local receiver on 127.0.0.1 as the NDJSON sink.
async function ingest(events: Record<string, unknown>[]): Promise<Response> {
  return SELF.fetch("https://shop.example/sl/e", {
    method: "POST",
    body: batch("shop.example", events),
    cf: { country: "DE", region: "Berlin", city: "Berlin" },
    headers: {
      "content-type": "text/plain",
      origin: "https://shop.example",
      "cf-connecting-ip": CLIENT_IP,
      "x-forwarded-for": "198.51.100.23",
      "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148",
    },
  });
}

afterEach(async () => {
  await setFailing("/ndjson", false);
});

describe("ingest → queue → consumer → sink (real queue in workerd)", () => {
  it("delivers the rows to the NDJSON sink with the bearer token, and no IP anywhere", async () => {
    const events = [pageview("https://shop.example/a"), pageview("https://shop.example/b")];
    const response = await ingest(events);
    expect(response.status).toBe(204);
    const ids = events.map((event) => event.i as string);
    const deliveries = await waitFor(async () => {
      const all = (await received("/ndjson")).filter((r) => ids.some((id) => r.body.includes(id)));
      const rows = all
        .flatMap((r) => parseNdjson(r.body))
        .filter((row) => ids.includes(row.event_id));
      return rows.length === ids.length ? all : undefined;
    }, "the rows at the NDJSON sink");
    for (const delivery of deliveries) {
      expect(delivery.headers.authorization).toBe("Bearer test-sink-token");
      expect(delivery.body).not.toContain(CLIENT_IP);
      expect(delivery.body).not.toContain("198.51.100.23");
    }
    const rows = deliveries
      .flatMap((r) => parseNdjson(r.body))
      .filter((row) => ids.includes(row.event_id));
    expect(rows.map((row) => row.pathname).sort()).toEqual(["/a", "/b"]);
    expect(rows[0]).toMatchObject({
      site_id: "shop.example",
      device: "mobile",
      country: "DE",
      city: "Berlin",
    });
  });

  it("retries a failing sink, then moves the batch to the dead-letter queue", async () => {
    await setFailing("/ndjson", true);
    const event = pageview("https://shop.example/doomed");
    const id = event.i as string;
    expect((await ingest([event])).status).toBe(204);
    const dead = await waitFor(
      async () => {
        const found = (await received("/dlq")).filter((r) => r.body.includes(id));
        return found.length > 0 ? found : undefined;
      },
      "the message in the dead-letter queue",
      30_000,
    );
    expect(parseNdjson(dead[0]!.body).map((row) => row.event_id)).toContain(id);
    expect(dead[0]!.body).not.toContain(CLIENT_IP);
    // max_retries = 2 in the test config: the first delivery plus two retries.
    const attempts = (await received("/ndjson")).filter((r) => r.body.includes(id));
    expect(attempts).toHaveLength(3);
  }, 40_000);
});
