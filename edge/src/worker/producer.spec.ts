import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { EventRow } from "../index.ts";
import { eventRow } from "../testing.ts";
import { enqueueRows, packRows } from "./producer.ts";
import { parseNdjson, spyQueue } from "./test-support.ts";

function row(id: string, propBytes: number): EventRow {
  return eventRow({
    event_id: id,
    site_id: "shop.example",
    hostname: "shop.example",
    props: { big: "é".repeat(propBytes / 2) },
  });
}

const bytes = (text: string) => new TextEncoder().encode(text).byteLength;

describe("queue messages", () => {
  it("packs rows as NDJSON into messages under the 128 KB queue limit, in order", () => {
    const rows = Array.from({ length: 12 }, (_, i) => row(`row-${i}`, 20_000));
    const messages = packRows(rows);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(bytes(message)).toBeLessThanOrEqual(100_000);
    expect(parseNdjson(messages.join("")).map((r) => r.event_id)).toEqual(
      rows.map((r) => r.event_id),
    );
    expect(packRows([row("one", 10)])).toHaveLength(1);
  });

  it("sends every message to the real queue binding, in sendBatch calls under 256 KB", async () => {
    const { queue, sent } = spyQueue(env.EVENTS);
    const batchBytes: number[] = [];
    const measured: Queue<string> = {
      ...queue,
      sendBatch: (messages, options) => {
        const list = [...messages];
        batchBytes.push(list.reduce((sum, m) => sum + bytes(m.body), 0));
        return queue.sendBatch(list, options);
      },
    };
    const rows = Array.from({ length: 30 }, (_, i) => row(`big-${i}`, 20_000));
    await enqueueRows(measured, rows);
    expect(batchBytes.length).toBeGreaterThan(1);
    for (const size of batchBytes) expect(size).toBeLessThanOrEqual(200_000);
    expect(parseNdjson(sent.join("")).map((r) => r.event_id)).toEqual(rows.map((r) => r.event_id));
  });
});
