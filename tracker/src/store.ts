/**
 * localStorage, or a plain object when it is missing or throws (sandboxed frames, privacy modes).
 * Both are used through named properties; only `sl_*` keys are ever touched.
 */
export let S: Record<string, string> = {};
/** Unset while the in-memory stand-in is used: then no other tab can see what this one stores. */
export let shared: unknown;

export const openStore = (): void => {
  try {
    const ls = localStorage as unknown as Record<string, string>;
    ls.sl_t = "1";
    delete ls.sl_t;
    S = shared = ls;
  } catch {
    // keep memory
  }
};

/** Sets a key, or removes it when `v` is empty. Write errors (quota) are swallowed. */
export const set = (k: string, v?: unknown): void => {
  try {
    if (v) S[k] = v as string;
    else delete S[k];
  } catch {
    // storage full: nothing the page should see
  }
};
