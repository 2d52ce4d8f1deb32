import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { json } from "../testing.tsx";
import { ApiError, apiFetch, errorMessage, signOut } from "./client.ts";
import { getToken, setToken, subscribeToken, TOKEN_KEY } from "./token.ts";

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  fetchMock.mockReset();
  vi.unstubAllGlobals();
  localStorage.clear();
});

function lastRequest(): { url: string; init: RequestInit; headers: Headers } {
  const [url, init = {}] = fetchMock.mock.lastCall ?? [];
  return { url: String(url), init, headers: new Headers(init.headers) };
}

describe("apiFetch", () => {
  it("sends the stored JWT as a bearer token and returns the JSON body", async () => {
    setToken("jwt-1");
    fetchMock.mockResolvedValue(json(200, { email: "a@example.com", role: "admin" }));

    const me = await apiFetch<{ email: string }>("/api/v1/me");

    expect(me).toEqual({ email: "a@example.com", role: "admin" });
    const { url, headers } = lastRequest();
    expect(url).toBe("/api/v1/me");
    expect(headers.get("Authorization")).toBe("Bearer jwt-1");
    expect(localStorage.getItem(TOKEN_KEY)).toBe("jwt-1");
  });

  it("sends no Authorization header for public routes or when signed out", async () => {
    setToken("jwt-1");
    fetchMock.mockResolvedValue(json(200, { setupRequired: false }));
    await apiFetch("/api/v1/auth/status", { auth: false });
    expect(lastRequest().headers.has("Authorization")).toBe(false);

    localStorage.clear();
    fetchMock.mockResolvedValue(json(200, { sites: [] }));
    await apiFetch("/api/v1/sites");
    expect(lastRequest().headers.has("Authorization")).toBe(false);
  });

  it("posts a JSON body with a JSON content type", async () => {
    fetchMock.mockResolvedValue(json(200, { token: "t", user: { email: "a@b.c", role: "admin" } }));

    await apiFetch("/api/v1/auth/login", {
      method: "POST",
      body: { email: "a@b.c", password: "pw" },
      auth: false,
    });

    const { init, headers } = lastRequest();
    expect(init.method).toBe("POST");
    expect(headers.get("Content-Type")).toBe("application/json");
    expect(JSON.parse(String(init.body))).toEqual({ email: "a@b.c", password: "pw" });
  });

  it("turns an error body into an ApiError carrying the server's message and code", async () => {
    fetchMock.mockResolvedValue(
      json(400, {
        statusCode: 400,
        code: "BAD_RANGE",
        error: "Bad Request",
        message: "from must be on or before to",
      }),
    );

    const error = await apiFetch("/api/v1/stats/daily?site=x").catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: "BAD_RANGE",
      message: "from must be on or before to",
    });
    expect(errorMessage(error)).toBe("from must be on or before to");
  });

  it("falls back to the status when the error body is not JSON", async () => {
    fetchMock.mockResolvedValue(
      new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }),
    );

    const error = await apiFetch("/api/v1/sites").catch((e: unknown) => e);

    expect(error).toMatchObject({
      status: 502,
      code: "HTTP_502",
      message: "Request failed (502 Bad Gateway).",
    });
  });

  it("refreshes an expired token once and retries the call with the new one", async () => {
    setToken("expired");
    const expired = () =>
      json(401, {
        statusCode: 401,
        code: "TOKEN_EXPIRED",
        message: "The access token has expired",
      });
    fetchMock
      .mockResolvedValueOnce(expired())
      .mockResolvedValueOnce(json(200, { token: "fresh", refreshToken: "r2", expiresIn: 900 }))
      .mockResolvedValueOnce(json(200, { email: "a@example.com" }));

    const me = await apiFetch<{ email: string }>("/api/v1/me");

    expect(me).toEqual({ email: "a@example.com" });
    const [first, refresh, retry] = fetchMock.mock.calls;
    expect(new Headers(first?.[1]?.headers).get("Authorization")).toBe("Bearer expired");
    // The refresh token is the HttpOnly cookie: sent by the browser, never by this code.
    expect(refresh?.[0]).toBe("/api/v1/auth/refresh");
    expect(refresh?.[1]).toMatchObject({ method: "POST", credentials: "same-origin" });
    expect(new Headers(refresh?.[1]?.headers).has("Authorization")).toBe(false);
    expect(new Headers(retry?.[1]?.headers).get("Authorization")).toBe("Bearer fresh");
    expect(getToken()).toBe("fresh");
  });

  it("refreshes once for calls that fail together", async () => {
    setToken("expired");
    let refreshes = 0;
    fetchMock.mockImplementation(async (input, init) => {
      if (String(input) === "/api/v1/auth/refresh") {
        refreshes += 1;
        await new Promise((r) => setTimeout(r, 10));
        return json(200, { token: "fresh" });
      }
      const auth = new Headers(init?.headers).get("Authorization");
      return auth === "Bearer fresh"
        ? json(200, { ok: true })
        : json(401, { code: "TOKEN_EXPIRED" });
    });

    const answers = await Promise.all([
      apiFetch("/api/v1/a"),
      apiFetch("/api/v1/b"),
      apiFetch("/api/v1/c"),
    ]);

    expect(answers).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(refreshes).toBe(1);
  });

  it("signs out when the call still fails after a refresh", async () => {
    setToken("expired");
    fetchMock.mockImplementation(async (input) =>
      String(input) === "/api/v1/auth/refresh"
        ? json(200, { token: "fresh" })
        : json(401, { code: "SESSION_ENDED", message: "This session has ended" }),
    );

    const error = await apiFetch("/api/v1/me").catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 401, code: "SESSION_ENDED" });
    // Once: the retry's 401 does not refresh again.
    expect(fetchMock.mock.calls.filter(([url]) => url === "/api/v1/auth/refresh")).toHaveLength(1);
    expect(getToken()).toBeNull();
  });

  it("ends the session on the server when signing out, then forgets the token", async () => {
    setToken("jwt-1");
    fetchMock.mockResolvedValue(json(200, { signedOut: true }));

    await signOut();

    expect(lastRequest().url).toBe("/api/v1/auth/logout");
    expect(lastRequest().init.method).toBe("POST");
    expect(lastRequest().headers.get("Authorization")).toBe("Bearer jwt-1");
    expect(getToken()).toBeNull();
  });

  it("drops the token and tells subscribers when a 401 survives the refresh", async () => {
    setToken("expired");
    const listener = vi.fn();
    const unsubscribe = subscribeToken(listener);
    fetchMock.mockResolvedValue(
      json(401, { statusCode: 401, code: "UNAUTHORIZED", message: "Token expired" }),
    );

    const error = await apiFetch("/api/v1/me").catch((e: unknown) => e);
    unsubscribe();

    expect(error).toMatchObject({ status: 401, message: "Token expired" });
    expect(getToken()).toBeNull();
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it("keeps the token when a public call gets a 401 (a wrong password is not an expired session)", async () => {
    setToken("still-valid");
    fetchMock.mockResolvedValue(
      json(401, { statusCode: 401, message: "Invalid email or password" }),
    );

    const error = await apiFetch("/api/v1/auth/login", {
      method: "POST",
      body: {},
      auth: false,
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 401, message: "Invalid email or password" });
    expect(getToken()).toBe("still-valid");
  });

  it("reports an unreachable server as a network ApiError", async () => {
    fetchMock.mockRejectedValue(new TypeError("fetch failed"));

    const error = await apiFetch("/api/v1/sites").catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 0, code: "NETWORK_ERROR" });
    expect(errorMessage(error)).toMatch(/Cannot reach the Sightline server/);
  });

  it("rethrows the abort instead of calling it a network error", async () => {
    const controller = new AbortController();
    controller.abort();
    fetchMock.mockRejectedValue(new DOMException("Aborted", "AbortError"));

    const error = await apiFetch("/api/v1/sites", { signal: controller.signal }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(DOMException);
    expect(lastRequest().init.signal).toBe(controller.signal);
  });

  it("returns undefined for 204 No Content", async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    await expect(apiFetch("/api/v1/thing", { method: "DELETE" })).resolves.toBeUndefined();
  });
});
