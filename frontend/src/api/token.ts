// The access token (a JWT valid for minutes) lives in localStorage so a reload and other tabs
// share it; the session's refresh token is an HttpOnly cookie the client never sees
// (client.ts refreshes with it). Listeners let the UI react when the client drops the token
// (a 401 the session cannot fix) or another tab signs in, refreshes or signs out.

export const TOKEN_KEY = "sightline.token";

type Listener = () => void;
const listeners = new Set<Listener>();

// Used only when localStorage throws (some privacy modes); the session then lasts one page load.
let memoryToken: string | null = null;

export function getToken(): string | null {
  try {
    return window.localStorage.getItem(TOKEN_KEY);
  } catch {
    return memoryToken;
  }
}

export function setToken(token: string): void {
  write(token);
}

export function clearToken(): void {
  write(null);
}

/**
 * Which session a token belongs to (its user and session ids), so a renewed access token of the
 * same session is told apart from a sign-in as someone else. An unreadable token is its own.
 */
export function sessionOf(token: string | null): string | null {
  if (token === null) return null;
  try {
    const part = token.split(".")[1] ?? "";
    const claims = JSON.parse(atob(part.replaceAll("-", "+").replaceAll("_", "/"))) as {
      sub?: unknown;
      sid?: unknown;
    };
    if (typeof claims.sub === "string" && typeof claims.sid === "string") {
      return `${claims.sub} ${claims.sid}`;
    }
  } catch {
    // Not a JWT we can read: compare the token itself.
  }
  return token;
}

export function subscribeToken(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function write(token: string | null): void {
  if (getToken() === token) return;
  memoryToken = token;
  try {
    if (token === null) window.localStorage.removeItem(TOKEN_KEY);
    else window.localStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage unavailable: memoryToken already holds the value.
  }
  notify();
}

function notify(): void {
  for (const listener of listeners) listener();
}

// Another tab signing in or out changes the same key; follow it.
if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => {
    if (event.key === TOKEN_KEY || event.key === null) notify();
  });
}
