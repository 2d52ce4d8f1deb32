// Helpers for the workerd tests (*.spec.ts). Not part of the Worker bundle.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { inject } from "vitest";
import type { EventRow } from "../index.ts";
import type { Env } from "./env.ts";
import worker from "./index.ts";

export type TestEnv = Env & {
  RECEIVER_URL: string;
  SITES_TEST: KVNamespace;
  RATE_LIMIT_TEST: RateLimit;
};

declare global {
  namespace Cloudflare {
    // `env` from "cloudflare:workers" in the tests: the Worker's bindings plus test-only ones.
    interface Env extends TestEnv {}
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    receiverUrl: string;
  }
}

export interface Received {
  path: string;
  search: string;
  headers: Record<string, string>;
  body: string;
}

export const receiverUrl = (): string => inject("receiverUrl");

/** What the local receiver got on `path` so far. */
export async function received(path: string): Promise<Received[]> {
  const response = await fetch(`${receiverUrl()}/_records?path=${encodeURIComponent(path)}`);
  return (await response.json()) as Received[];
}

export async function setFailing(path: string, on: boolean): Promise<void> {
  await fetch(`${receiverUrl()}/_fail?path=${encodeURIComponent(path)}&on=${on ? 1 : 0}`, {
    method: "POST",
  });
}

export function parseNdjson(text: string): EventRow[] {
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as EventRow);
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The real queue binding, with every sendBatch recorded before it is forwarded. */
export function spyQueue(queue: Queue<string>): { queue: Queue<string>; sent: string[] } {
  const sent: string[] = [];
  const spy: Queue<string> = {
    send: (body, options) => {
      sent.push(body);
      return queue.send(body, options);
    },
    sendBatch: (messages, options) => {
      const list = [...messages];
      for (const message of list) sent.push(message.body);
      return queue.sendBatch(list, options);
    },
    metrics: () => queue.metrics(),
  };
  return { queue: spy, sent };
}

/** Calls the Worker's fetch handler directly with `overrides` on top of the test bindings. */
export async function callWorker(
  request: Request,
  overrides: Partial<TestEnv> = {},
): Promise<{ response: Response; sent: string[] }> {
  const { queue, sent } = spyQueue(env.EVENTS);
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    request as Request<unknown, IncomingRequestCfProperties>,
    { ...env, EVENTS: queue, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { response, sent };
}

let counter = 0;
/** A unique event id per call, so tests sharing the queue and receiver never mix up rows. */
export function eventId(prefix = "evt"): string {
  counter += 1;
  return `${prefix}-${crypto.randomUUID()}-${counter}`;
}

export function batch(site: string, events: Record<string, unknown>[]): string {
  return JSON.stringify({ s: site, sv: "1.0.0", e: events });
}

export function pageview(
  url: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { i: eventId(), n: "pageview", t: Date.now(), u: url, ...extra };
}

export function ingestRequest(
  body: BodyInit,
  headers: Record<string, string> = {},
  init: { cf?: Record<string, unknown> } = {},
): Request {
  return new Request("https://shop.example/sl/e", {
    method: "POST",
    body,
    headers: {
      "content-type": "text/plain",
      "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36",
      ...headers,
    },
    ...(init.cf ? { cf: init.cf } : {}),
  });
}
