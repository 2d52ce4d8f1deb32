export type Handler = (...args: unknown[]) => void;

/**
 * Replaces the snippet's queue stub with the real `sightline()` and replays queued calls in order.
 * Unknown commands are ignored, and a failing command never throws into the page. The real API
 * carries `l: 1`, so a second copy of the script (snippet pasted twice) stands down.
 */
export function installCommands(handlers: Record<string, Handler>): void {
  const w = window as { sightline?: { q?: ArrayLike<unknown>[]; l?: 1 } };
  const queued = w.sightline?.q;
  const api = (c: string, ...args: unknown[]) => {
    try {
      if (Object.keys(handlers).includes(c)) handlers[c]!(...args);
    } catch {
      // ignore
    }
  };
  api.l = 1 as const;
  w.sightline = api;
  // Queued entries are the stub's `arguments` objects.
  for (const call of queued || []) api(...(call as unknown as [string]));
}
