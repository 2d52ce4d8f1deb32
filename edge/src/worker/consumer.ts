import { type Env, numberVar } from "./env.ts";
import { sinkFor } from "./sinks.ts";

const MAX_DELAY_SECONDS = 900;

/** Exponential backoff: base, 2×base, 4×base, ... capped at 15 minutes. */
export function retryDelaySeconds(attempts: number, baseSeconds: number): number {
  return Math.min(MAX_DELAY_SECONDS, Math.round(baseSeconds * 2 ** Math.max(0, attempts - 1)));
}

function retry(messages: readonly Message<unknown>[], env: Env): void {
  const base = numberVar(env.RETRY_BASE_SECONDS, 10);
  for (const message of messages) {
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts, base) });
  }
}

/**
 * The queue consumer: one sink request per batch. Success acks the batch; any failure (the sink,
 * the network, a missing secret) retries it with backoff, and after `max_retries` the queue moves
 * it to the dead-letter queue. Rows carry no IP, so logging errors cannot leak one.
 */
export async function consumeBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const good: Message<unknown>[] = [];
  let ndjson = "";
  for (const message of batch.messages) {
    if (typeof message.body === "string" && message.body.length > 0) {
      good.push(message);
      ndjson += message.body.endsWith("\n") ? message.body : `${message.body}\n`;
    } else {
      // Not something our producer sends; retrying moves it to the dead-letter queue for a look.
      console.error(`sightline: message ${message.id} is not NDJSON text`);
      retry([message], env);
    }
  }
  if (good.length === 0) return;
  try {
    const sink = sinkFor(env);
    await sink.deliver({ ndjson, messageIds: good.map((message) => message.id) });
    for (const message of good) message.ack();
  } catch (error) {
    const attempts = Math.max(...good.map((message) => message.attempts));
    console.error(
      `sightline: delivery of ${good.length} message(s) failed (attempt ${attempts}), will retry: ${(error as Error).message}`,
    );
    retry(good, env);
  }
}
