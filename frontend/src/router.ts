import {
  type AnchorHTMLAttributes,
  createElement,
  type MouseEvent,
  useSyncExternalStore,
} from "react";

// A few pages and a query string are all the dashboard needs from a router: the History API,
// one change event, and links that navigate without a reload.

type Listener = () => void;
const listeners = new Set<Listener>();

function notify(): void {
  for (const listener of listeners) listener();
}

if (typeof window !== "undefined") window.addEventListener("popstate", notify);

function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

const snapshot = () => `${window.location.pathname}${window.location.search}`;

/** The current path and query string; re-renders on navigation and on back/forward. */
export function useLocation(): { pathname: string; search: string } {
  const href = useSyncExternalStore(subscribe, snapshot, () => "/");
  const q = href.indexOf("?");
  return q === -1
    ? { pathname: href, search: "" }
    : { pathname: href.slice(0, q), search: href.slice(q) };
}

/**
 * Goes to `to` (a path with its query string). Pushes a history entry, so back and forward walk
 * through views; `replace` changes the current entry instead (redirects, typing in a search box).
 */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  notify();
}

/** An anchor that navigates in place; modified clicks (new tab, new window) stay the browser's. */
export function Link({
  to,
  replace,
  onClick,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; replace?: boolean }) {
  return createElement("a", {
    ...rest,
    href: to,
    onClick: (event: MouseEvent<HTMLAnchorElement>) => {
      onClick?.(event);
      if (
        event.defaultPrevented ||
        event.button !== 0 ||
        event.metaKey ||
        event.ctrlKey ||
        event.shiftKey ||
        event.altKey
      )
        return;
      event.preventDefault();
      navigate(to, { replace });
    },
  });
}
