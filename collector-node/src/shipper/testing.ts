import type { ClickHouseClient } from "@clickhouse/client";
import { type EventRow, ndjsonLines } from "@sightline/edge";
import { eventRow } from "@sightline/edge/testing";

/** A spool line as the row writer writes it: a person's event. */
export function human(id: string, overrides: Partial<EventRow> = {}): string {
  return ndjsonLines([eventRow({ event_id: id, ...overrides, is_bot: 0 })]);
}

/** A spool line as the row writer writes it: a bot's event. */
export function bot(id: string, overrides: Partial<EventRow> = {}): string {
  return ndjsonLines([eventRow({ event_id: id, ...overrides, is_bot: 1 })]);
}

/** What a fake session was asked to do: one entry per statement. */
export interface Call {
  method: "exec" | "command" | "insert" | "query";
  query: string;
  /** An insert's body as text (exec), or its rows as JSON (insert). */
  body: string;
  token: string | undefined;
}

/** A ClickHouse error as the client reports it, with the server's code. */
export function clickhouseError(code: number, message: string): Error {
  return Object.assign(new Error(`Code: ${code}. ${message}`), { code: String(code) });
}

/**
 * A stand-in session for unit tests of the shipper's parts: it records every statement and lets
 * a test refuse some (`refuse` returns the error to throw). Only what the shipper calls exists.
 */
export function fakeClient(
  refuse: (call: Call) => Error | null = () => null,
  columns: { name: string; type: string }[] = [],
): { client: ClickHouseClient; calls: Call[] } {
  const calls: Call[] = [];
  const record = (call: Call) => {
    const error = refuse(call);
    if (error) throw error;
    calls.push(call);
  };
  const tokenOf = (settings: unknown) =>
    (settings as { insert_deduplication_token?: string } | undefined)?.insert_deduplication_token;
  const client = {
    async exec(params: {
      query: string;
      values: AsyncIterable<Buffer>;
      clickhouse_settings?: unknown;
    }) {
      const chunks: Buffer[] = [];
      for await (const chunk of params.values) chunks.push(chunk);
      const body = Buffer.concat(chunks).toString();
      record({
        method: "exec",
        query: params.query,
        body,
        token: tokenOf(params.clickhouse_settings),
      });
      return { stream: { resume() {} } };
    },
    async command(params: { query: string; clickhouse_settings?: unknown }) {
      record({
        method: "command",
        query: params.query,
        body: "",
        token: tokenOf(params.clickhouse_settings),
      });
      return {};
    },
    async insert(params: { table: string; values: unknown[] }) {
      record({
        method: "insert",
        query: params.table,
        body: JSON.stringify(params.values),
        token: undefined,
      });
      return {};
    },
    async query(params: { query: string }) {
      record({ method: "query", query: params.query, body: "", token: undefined });
      return { json: async () => columns };
    },
  };
  return { client: client as unknown as ClickHouseClient, calls };
}
