export interface Store {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

/**
 * localStorage with an in-memory fallback. Storage may be missing, full, or blocked
 * (reading `localStorage` itself throws in sandboxed frames), and none of that may break the page.
 */
export function createStore(storage: () => Storage): Store {
  const mem: Record<string, string> = {};
  return {
    get(key) {
      try {
        const value = storage().getItem(key);
        if (value !== null) return value;
      } catch {
        // fall through to memory
      }
      return mem[key] || null;
    },
    set(key, value) {
      mem[key] = value;
      try {
        storage().setItem(key, value);
      } catch {
        // memory keeps the value for this page
      }
    },
  };
}
