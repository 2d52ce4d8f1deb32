import { randomId } from "./ids.ts";
import { flatProps, type WireEvent } from "./payload.ts";
import { sessionId, visitorId } from "./session.ts";
import type { Store } from "./store.ts";
import type { Win } from "./win.ts";

/** Builds one event from the current page state. Empty referrer, language and props are left out. */
export function createEvent(w: Win, store: Store, name: string, props?: unknown): WireEvent {
  const now = Date.now();
  return {
    i: randomId(),
    n: name,
    t: now,
    u: w.location.href,
    r: w.document.referrer || undefined,
    v: visitorId(store),
    x: sessionId(store, now),
    l: w.navigator.language || undefined,
    p: flatProps(props),
  };
}
