import type { Win } from "./win.ts";

export type Handler = (...args: unknown[]) => void;

interface Stub {
  q?: unknown;
  /** Set on the real API, so a second copy of the script stands down. */
  loaded?: boolean;
}

function stubOf(w: Win): Stub {
  return (w.sightline as Stub | undefined) || {};
}

export function isLoaded(w: Win): boolean {
  return !!stubOf(w).loaded;
}

/**
 * Replaces the snippet's queue stub with the real `sightline()` and replays queued calls in order.
 * Unknown commands are ignored, and a failing command never throws into the page.
 */
export function installCommands(w: Win, handlers: Map<string, Handler>): void {
  const queued = stubOf(w).q;
  const run = (call: ArrayLike<unknown>) => {
    try {
      const [command, ...args] = Array.from(call);
      const handler = typeof command === "string" && handlers.get(command);
      if (handler) handler(...args);
    } catch {
      // ignore
    }
  };
  const api = (...call: unknown[]) => run(call);
  api.loaded = true;
  w.sightline = api;
  // Queued entries are the stub's `arguments` objects.
  if (Array.isArray(queued)) for (const call of queued) run(call as ArrayLike<unknown>);
}
