/**
 * localStorage, or a plain object when it is missing or throws (sandboxed frames, privacy modes).
 * Both are used through named properties; only `sl_*` keys are ever touched.
 */
export let S: Record<string, string> = {};
/** False while the in-memory stand-in is used: then no other tab can see what this one stores. */
export let shared = false;

export function openStore(): void {
  try {
    const ls = localStorage as unknown as Record<string, string>;
    ls.sl_t = "1";
    delete ls.sl_t;
    S = ls;
    shared = true;
  } catch {
    // keep memory
  }
}

/** Sets a key, or removes it for null/undefined. Write errors (quota) are swallowed. */
export function set(k: string, v?: string | null): void {
  try {
    if (v == null) delete S[k];
    else S[k] = v;
  } catch {
    // storage full: nothing the page should see
  }
}
