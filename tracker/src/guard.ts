/** Wraps a callback so that nothing it throws can reach the page. */
export const guard =
  // biome-ignore lint/suspicious/noExplicitAny: callbacks receive each event type's own class
    <A extends any[]>(fn: (...a: A) => unknown) =>
    (...a: A) => {
      try {
        fn(...a);
      } catch {
        // analytics must never break the page
      }
    };

/**
 * Adds a guarded, capturing listener (so pages that stop propagation still count) for each
 * space-separated event type, on `window` unless another target is given. None of them ever
 * calls preventDefault, and none listens to touch or wheel, so none can delay scrolling.
 */
export const on = (
  types: string,
  // biome-ignore lint/suspicious/noExplicitAny: listeners receive each event type's own class
  fn: (e: any) => unknown,
  target: EventTarget = window,
): void => {
  for (const t of types.split(" ")) target.addEventListener(t, guard(fn), true);
};
