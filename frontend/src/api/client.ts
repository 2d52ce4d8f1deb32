import { clearToken, getToken } from "./token.ts";
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

/** Calls a same-origin /api route and returns its JSON, or throws ApiError. */
export async function apiFetch<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = "GET", body, auth = true, signal } = options;
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  const token = auth ? getToken() : null;
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
    // A rejected token is useless from now on; dropping it sends the user back to login.
    if (response.status === 401 && token) clearToken();
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
