import { encodeBatch, type WireEvent } from "./payload.ts";
import type { Win } from "./win.ts";

/** Events produced close together travel in one request. */
export const BATCH_DELAY_MS = 100;
/** Keeps each body far below the 64 KB keepalive/beacon budget and the collector's size limit. */
export const MAX_BATCH = 25;

export interface Transport {
  send(event: WireEvent): void;
  flush(beacon?: boolean): void;
}

export function createTransport(w: Win, site: string, base: string): Transport {
  const url = `${base}/e`;
  let queue: WireEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  function post(body: string, beacon?: boolean): void {
    try {
      // sendBeacon survives page unload; it returns false when the browser refuses the body.
      const nav = w.navigator;
      if (beacon && "sendBeacon" in nav && nav.sendBeacon(url, body)) return;
      w.fetch(url, {
        method: "POST",
        body,
        keepalive: true,
        headers: { "Content-Type": "text/plain" },
      }).catch(() => {});
    } catch {
      // analytics must never break the page
    }
  }

  function flush(beacon?: boolean): void {
    clearTimeout(timer);
    timer = undefined;
    const events = queue;
    queue = [];
    for (let i = 0; i < events.length; i += MAX_BATCH) {
      post(encodeBatch(site, events.slice(i, i + MAX_BATCH)), beacon);
    }
  }

  const flushOnHide = () => flush(true);
  w.addEventListener("pagehide", flushOnHide);
  w.document.addEventListener("visibilitychange", () => {
    if (w.document.visibilityState === "hidden") flushOnHide();
  });

  return {
    send(event) {
      queue.push(event);
      if (!timer) timer = setTimeout(() => flush(), BATCH_DELAY_MS);
    },
    flush,
  };
}
