import { getShareAccess, sharedPath } from "./share.ts";
import { clearToken, getToken, setToken } from "./token.ts";
import type { ApiErrorBody } from "./types.ts";

/** A failed API call. `message` is safe to show: it is the server's own text when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  /** Send the stored JWT. Defaults to true; the public auth routes turn it off. */
  auth?: boolean;
  signal?: AbortSignal;
  /** More request headers (If-Match for optimistic concurrency). */
  headers?: Record<string, string>;
}

const REFRESH_PATH = "/api/v1/auth/refresh";
let refreshing: Promise<boolean> | null = null;

/** Runs `work` while holding a lock shared by every tab of the app, where browsers have one. */
async function acrossTabs<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
  return locks?.request ? await locks.request("sightline.refresh", work) : work();
}

/**
 * Gets a new access token with the session's refresh token (an HttpOnly cookie the server set at
 * sign-in; scripts never see it). One refresh at a time, across tabs too: a refresh token works
 * once, and presenting it twice ends the session. A tab that waited finds the token another
 * already stored and skips its own. True when a usable token is stored.
 */
export function refreshSession(rejected: string): Promise<boolean> {
  refreshing ??= acrossTabs(async () => {
    const current = getToken();
    if (current && current !== rejected) return true;
    try {
      const response = await fetch(REFRESH_PATH, {
        method: "POST",
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return false;
      const body = (await response.json()) as { token?: unknown };
      if (typeof body.token !== "string") return false;
      setToken(body.token);
      return true;
    } catch {
      return false;
    }
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** Ends the session on the server (best effort) and forgets the token; the UI then signs in. */
export async function signOut(): Promise<void> {
  try {
    if (getToken()) await apiFetch("/api/v1/auth/logout", { method: "POST" });
  } catch {
    // Unreachable server or an ended session: signing out here still happens.
  } finally {
    clearToken();
  }
}

/**
 * Calls a same-origin /api route and returns its JSON, or throws ApiError. An authenticated call
 * answered 401 (the short-lived access token expired) refreshes the session once and is retried;
 * if that fails the token is dropped, which signs the user out.
 */
export async function apiFetch<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return call<T>(path, options, false);
}

async function call<T>(given: string, options: RequestOptions, retried: boolean): Promise<T> {
  const { method = "GET", body, auth = true, signal } = options;
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  // A share link's viewer: its own routes and token, and no session to refresh (api/share.ts).
  const shared = auth ? getShareAccess() : null;
  const path = shared ? sharedPath(given) : given;
  if (shared) headers.Authorization = `Bearer ${shared}`;
  const token = auth && !shared ? getToken() : null;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(
      0,
      "NETWORK_ERROR",
      "Cannot reach the Sightline server. Check that it is running.",
    );
  }

  if (!response.ok) {
    const error = await toApiError(response);
    if (response.status === 401 && token) {
      if (!retried && (await refreshSession(token))) return call<T>(given, options, true);
      // Neither the token nor the session works: dropping it sends the user back to login.
      clearToken();
    }
    throw error;
  }

  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(
      response.status,
      "BAD_RESPONSE",
      "The server sent a response that is not JSON.",
    );
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: ApiErrorBody | null = null;
  try {
    body = (await response.json()) as ApiErrorBody;
  } catch {
    // Not JSON (a proxy's error page, for instance): fall back to the status line.
  }
  const message =
    typeof body?.message === "string" && body.message !== ""
      ? body.message
      : `Request failed (${response.status}${response.statusText ? ` ${response.statusText}` : ""}).`;
  const code = typeof body?.code === "string" ? body.code : `HTTP_${response.status}`;
  return new ApiError(response.status, code, message);
}

/** Text to show for any error a query or mutation may reject with. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong.";
}
