import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { retryDelaySeconds } from "./consumer.ts";
import worker from "./index.ts";
import { deduplicationToken } from "./sinks.ts";
import { eventId, received, receiverUrl, type TestEnv } from "./test-support.ts";

function line(id: string, isBot: 0 | 1 = 0): string {
  const row = { event_id: id, site_id: "shop.example", name: "pageview", is_bot: isBot };
  return `${JSON.stringify(row)}\n`;
}

/** The part of the pool's queue result these tests read (its type is not exported). */
interface QueueResult {
  explicitAcks: string[];
  retryMessages: { msgId: string }[];
}

async function consume(
  messages: { id: string; body: unknown; attempts?: number }[],
  overrides: Partial<TestEnv>,
) {
  const batch = createMessageBatch("sightline-events", [
    ...messages.map((m) => ({
      id: m.id,
      timestamp: new Date(),
      attempts: m.attempts ?? 1,
      body: m.body,
    })),
  ]);
  // Record the delay each retry asks for (the queue result reports only which were retried).
  const delays: Record<string, number | undefined> = {};
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (options) => {
      delays[message.id] = options?.delaySeconds;
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<string>, { ...env, ...overrides });
  const result = (await getQueueResult(batch, ctx)) as QueueResult;
  return { ...result, delays };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("queue consumer", () => {
  it("POSTs the batch as NDJSON with the bearer token, then acks every message", async () => {
    const [a, b] = [eventId(), eventId()];
    const path = `/direct/${eventId("ndjson")}`;
    const result = await consume(
      [
        { id: "m-1", body: line(a) },
        { id: "m-2", body: line(b) },
      ],
      { SINK_URL: `${receiverUrl()}${path}` },
    );
    expect(result.explicitAcks.sort()).toEqual(["m-1", "m-2"]);
    expect(result.retryMessages).toEqual([]);
    const [request] = await received(path);
    expect(request?.headers.authorization).toBe("Bearer test-sink-token");
    expect(request?.headers["content-type"]).toBe("application/x-ndjson");
    expect(request?.body).toBe(line(a) + line(b));
  });

  it("ClickHouse sink (mock ClickHouse HTTP receiver): INSERT ... JSONEachRow with a dedup token from the message ids, bots apart", async () => {
    const path = `/direct/${eventId("clickhouse")}`;
    const [human, bot] = [eventId(), eventId()];
    const result = await consume(
      [
        { id: "q-2", body: line(human) + line(bot, 1) },
        { id: "q-1", body: line(human) },
      ],
      {
        SINK: "clickhouse",
        CLICKHOUSE_URL: `${receiverUrl()}${path}`,
        CLICKHOUSE_USER: "edge_writer",
        CLICKHOUSE_PASSWORD: "s3cret",
      },
    );
    expect(result.explicitAcks.sort()).toEqual(["q-1", "q-2"]);
    const requests = await received(path);
    expect(requests).toHaveLength(2);
    const token = await deduplicationToken(["q-1", "q-2"]);
    expect(token).toMatch(/^sl-edge-[0-9a-f]{64}$/);
    const byQuery = new Map(
      requests.map((request) => [new URLSearchParams(request.search).get("query"), request]),
    );
    const events = byQuery.get("INSERT INTO sightline.events FORMAT JSONEachRow");
    const bots = byQuery.get("INSERT INTO sightline.bot_events FORMAT JSONEachRow");
    expect(events?.body).toBe(line(human) + line(human));
    expect(bots?.body).toBe(line(bot, 1));
    for (const request of [events, bots]) {
      const params = new URLSearchParams(request?.search);
      expect(params.get("insert_deduplication_token")).toBe(token);
      expect(params.get("insert_deduplicate")).toBe("1");
      expect(params.get("async_insert")).toBe("0");
      expect(request?.headers["x-clickhouse-user"]).toBe("edge_writer");
      expect(request?.headers["x-clickhouse-key"]).toBe("s3cret");
    }
  });

  it("ClickHouse sink (mock ClickHouse HTTP receiver): a refused insert retries the batch", async () => {
    const path = `/direct/${eventId("clickhouse-down")}`;
    await fetch(`${receiverUrl()}/_fail?path=${encodeURIComponent(path)}`, { method: "POST" });
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const result = await consume([{ id: "c-1", body: line(eventId()) }], {
      SINK: "clickhouse",
      CLICKHOUSE_URL: `${receiverUrl()}${path}`,
      CLICKHOUSE_PASSWORD: "s3cret",
    });
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["c-1"]);
    expect(errors.mock.calls.join(" ")).toContain("ClickHouse (events) answered 500");
  });

  it("gives the same batch the same dedup token in any order, and another batch another", async () => {
    const token = await deduplicationToken(["a", "b", "c"]);
    expect(await deduplicationToken(["c", "a", "b"])).toBe(token);
    expect(await deduplicationToken(["a", "b"])).not.toBe(token);
  });

  it("retries the whole batch with exponential backoff when the sink fails", async () => {
    const path = `/direct/${eventId("down")}`;
    await fetch(`${receiverUrl()}/_fail?path=${encodeURIComponent(path)}`, { method: "POST" });
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const result = await consume(
      [
        { id: "r-1", body: line(eventId()), attempts: 1 },
        { id: "r-2", body: line(eventId()), attempts: 3 },
      ],
      { SINK_URL: `${receiverUrl()}${path}`, RETRY_BASE_SECONDS: "10" },
    );
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual(["r-1", "r-2"]);
    expect(result.delays).toEqual({ "r-1": 10, "r-2": 40 });
    expect(errors.mock.calls.join(" ")).toContain("ndjson sink answered 500");
    expect(await received(path)).toHaveLength(1);
  });

  it("caps the backoff at 15 minutes", () => {
    expect(retryDelaySeconds(1, 10)).toBe(10);
    expect(retryDelaySeconds(2, 10)).toBe(20);
    expect(retryDelaySeconds(20, 10)).toBe(900);
    expect(retryDelaySeconds(5, 0)).toBe(0);
  });

  it.each([
    [{ SINK_TOKEN: undefined }, "the SINK_TOKEN secret is not set"],
    [{ SINK_URL: "" }, "SINK_URL is not set"],
    [{ SINK_URL: "http://collector.example/internal/ndjson" }, "SINK_URL must be an https:// URL"],
    [
      { SINK: "clickhouse", CLICKHOUSE_URL: "https://ch.example:8443" },
      "the CLICKHOUSE_PASSWORD secret is not set",
    ],
    [{ SINK: "kafka" }, 'SINK must be "ndjson" or "clickhouse"'],
  ] as [Partial<TestEnv>, string][])(
    "does not deliver without its settings (%o): logs and retries",
    async (overrides, message) => {
      const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
      const result = await consume([{ id: "s-1", body: line(eventId()) }], overrides);
      expect(result.explicitAcks).toEqual([]);
      expect(result.retryMessages.map((m) => m.msgId)).toEqual(["s-1"]);
      expect(errors.mock.calls.join(" ")).toContain(message);
    },
  );

  it("sends a message that is not NDJSON text toward the dead-letter queue, and delivers the rest", async () => {
    const path = `/direct/${eventId("mixed")}`;
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const id = eventId();
    const result = await consume(
      [
        { id: "x-1", body: { not: "text" } },
        { id: "x-2", body: line(id) },
      ],
      { SINK_URL: `${receiverUrl()}${path}` },
    );
    expect(result.explicitAcks).toEqual(["x-2"]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["x-1"]);
    expect((await received(path))[0]?.body).toBe(line(id));
  });
});
