import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { json } from "../testing.tsx";
import { ApiError, apiFetch } from "./client.ts";
import { setShareAccess, sharedPath } from "./share.ts";
import { getToken, setToken } from "./token.ts";

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => vi.stubGlobal("fetch", fetchMock));
afterEach(() => {
  setShareAccess(null);
  fetchMock.mockReset();
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe("a share link's viewer", () => {
  it("maps the query and report calls to the link's own routes, nothing else", () => {
    expect(sharedPath("/api/v1/query")).toBe("/api/v1/shared/query");
    expect(sharedPath("/api/v1/reports/overview")).toBe("/api/v1/shared/reports/overview");
    expect(sharedPath("/api/v1/dashboards")).toBe("/api/v1/dashboards");
  });

  it("sends the link's token, not the signed-in user's, and refreshes no session on 401", async () => {
    setToken("user-jwt");
    setShareAccess("share-jwt");
    fetchMock.mockResolvedValue(json(200, { rows: [] }));
    await apiFetch("/api/v1/query", { method: "POST", body: {} });
    const [url, init] = fetchMock.mock.lastCall ?? [];
    expect(url).toBe("/api/v1/shared/query");
    expect(new Headers(init?.headers).get("Authorization")).toBe("Bearer share-jwt");

    fetchMock.mockResolvedValue(json(401, { code: "SHARE_ENDED", message: "revoked" }));
    const error = await apiFetch("/api/v1/query", { method: "POST", body: {} }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: "SHARE_ENDED" });
    // No refresh was tried, and the user's own session is left alone.
    expect(fetchMock.mock.calls.map(([u]) => String(u))).not.toContain("/api/v1/auth/refresh");
    expect(getToken()).toBe("user-jwt");
  });

  it("sends nothing on public calls", async () => {
    setShareAccess("share-jwt");
    fetchMock.mockResolvedValue(json(200, {}));
    await apiFetch("/api/v1/shared/open", { method: "POST", body: {}, auth: false });
    const [, init] = fetchMock.mock.lastCall ?? [];
    expect(new Headers(init?.headers).get("Authorization")).toBeNull();
  });
});
