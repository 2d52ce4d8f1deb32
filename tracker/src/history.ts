/**
 * Calls `onNavigate` after History API navigations: every pushState and popstate, and
 * replaceState only when it changes the path (routers use it to tidy query strings and state).
 */
export function watchHistory(onNavigate: () => void): void {
  const h = history;
  const push = h.pushState;
  const replace = h.replaceState;
  h.pushState = function (this: History, ...args: Parameters<History["pushState"]>) {
    push.apply(this, args);
    onNavigate();
  };
  h.replaceState = function (this: History, ...args: Parameters<History["replaceState"]>) {
    const path = location.pathname;
    replace.apply(this, args);
    if (location.pathname !== path) onNavigate();
  };
  addEventListener("popstate", onNavigate);
}
