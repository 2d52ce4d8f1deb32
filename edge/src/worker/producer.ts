import type { EventRow } from "../index.ts";

/** Queues take 128 KB per message and 256 KB per sendBatch; stay well under both. */
const MAX_MESSAGE_BYTES = 100_000;
const MAX_BATCH_BYTES = 200_000;
const MAX_BATCH_MESSAGES = 100;

const encoder = new TextEncoder();

/** Packs rows as NDJSON text into as few queue messages as the size limits allow. */
export function packRows(rows: readonly EventRow[]): string[] {
  const messages: string[] = [];
  let current = "";
  let currentBytes = 0;
  for (const row of rows) {
    const line = `${JSON.stringify(row)}\n`;
    const bytes = encoder.encode(line).byteLength;
    if (currentBytes > 0 && currentBytes + bytes > MAX_MESSAGE_BYTES) {
      messages.push(current);
      current = "";
      currentBytes = 0;
    }
    current += line;
    currentBytes += bytes;
  }
  if (currentBytes > 0) messages.push(current);
  return messages;
}

/** Sends the rows to the queue; resolves only once the queue has accepted every message. */
export async function enqueueRows(queue: Queue<string>, rows: readonly EventRow[]): Promise<void> {
  let batch: MessageSendRequest<string>[] = [];
  let batchBytes = 0;
  for (const body of packRows(rows)) {
    const bytes = encoder.encode(body).byteLength;
    if (
      batch.length > 0 &&
      (batchBytes + bytes > MAX_BATCH_BYTES || batch.length === MAX_BATCH_MESSAGES)
    ) {
      await queue.sendBatch(batch);
      batch = [];
      batchBytes = 0;
    }
    batch.push({ body, contentType: "text" });
    batchBytes += bytes;
  }
  if (batch.length > 0) await queue.sendBatch(batch);
}
