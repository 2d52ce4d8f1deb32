/** Wraps a callback so that nothing it throws can reach the page. */
// biome-ignore lint/suspicious/noExplicitAny: callbacks receive each event type's own class
export function guard<A extends any[]>(fn: (...a: A) => void): (...a: A) => void {
  return (...a) => {
    try {
      fn(...a);
    } catch {
      // analytics must never break the page
    }
  };
}

/** Adds a guarded, passive, capturing listener (so pages that stop propagation still count). */
// biome-ignore lint/suspicious/noExplicitAny: listeners receive each event type's own class
export function on(target: EventTarget, type: string, fn: (e: any) => void): void {
  target.addEventListener(type, guard(fn), { capture: true, passive: true });
}
