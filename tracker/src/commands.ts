import { guard } from "./guard.ts";

export type Handler = (...args: unknown[]) => void;

/**
 * Replaces the snippet's queue stub with the real `sightline()` and replays queued calls in order.
 * Unknown commands are ignored, and a failing command never throws into the page. The real API
 * carries `l: 1`, so a second copy of the script (snippet pasted twice) stands down.
 */
export const installCommands = (handlers: Record<string, Handler>): void => {
  const w = window as { sightline?: { q?: ArrayLike<unknown>[]; l?: 1 } };
  const queued = w.sightline?.q || [];
  // An unknown name has no handler: the call throws inside the guard and is ignored.
  const api: Handler & { l?: 1 } = guard((c: unknown, ...args: unknown[]) =>
    handlers[c as string]!(...args),
  );
  api.l = 1;
  w.sightline = api;
  // Queued entries are the stub's `arguments` objects.
  for (const call of queued) api(...(call as unknown[]));
};
