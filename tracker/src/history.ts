/**
 * Calls `onNavigate` after History API navigations: every pushState, and replaceState only when
 * it changes the path (routers use it to tidy query strings and state). popstate is the caller's.
 */
export const watchHistory = (onNavigate: () => void): void => {
  const h = history as unknown as Record<string, (...a: unknown[]) => void>;
  for (const name of ["pushState", "replaceState"]) {
    const real = h[name]!;
    h[name] = (...args: unknown[]) => {
      const path = location.pathname;
      real.apply(h, args);
      if (name < "r" || location.pathname !== path) onNavigate();
    };
  }
};
