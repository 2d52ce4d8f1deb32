/**
 * localStorage, or a plain object when it is missing or throws (sandboxed frames, privacy modes),
 * once it is full, and under GPC or DNT. Both are used through named properties; only `sl_*` keys
 * are ever touched.
 */
export let S: Record<string, string> = {};
/** Unset while the in-memory stand-in is used: then no other tab can see what this one stores. */
export let shared: unknown;
/** localStorage itself, also while S is memory: the opt-out choice is kept there all the same. */
export let L: Record<string, string> | undefined;

/** Opens localStorage; with `memory` (GPC or DNT) only to read the opt-out choice from it. */
export const openStore = (memory: unknown): void => {
  try {
    L = localStorage as unknown as Record<string, string>;
    if (memory) S.sl_o = L.sl_o!;
    else {
      L.sl_t = "1";
      delete L.sl_t;
      S = shared = L;
    }
  } catch {
    // keep memory
  }
};

/**
 * Sets a key of S (or of `to`), or removes it when `v` is empty. Nothing it throws reaches the
 * page. When localStorage refuses a write (full), this page goes on in memory: the `sl_*` values
 * come along, and the stored queue moves out of storage, so this page sends it and no other page
 * sends it again.
 */
export const set = (k: string, v?: unknown, to = S): void => {
  try {
    if (v) to[k] = v as string;
    else delete to[k];
  } catch {
    if (shared) {
      const m: Record<string, string> = {};
      for (const key of Object.keys(S))
        if (key.startsWith("sl_")) {
          m[key] = S[key]!;
          if (key.startsWith("sl_q")) delete S[key];
        }
      S = m;
      shared = 0;
      set(k, v);
    }
  }
};
