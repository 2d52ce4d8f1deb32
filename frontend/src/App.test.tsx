import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "./App.tsx";
import { getToken, setToken } from "./api/token.ts";
import { json, renderWithClient, stubFetch } from "./testing.tsx";

// These paths never reach the chart (no sites, or no session), so ECharts is not loaded under jsdom.

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
  window.history.replaceState(null, "", "/");
});

const me = { email: "admin@example.com", role: "admin" };

describe("App", () => {
  it("shows the sign-in form when there is no token", async () => {
    stubFetch({ "GET /api/v1/auth/status": () => json(200, { setupRequired: false }) });
    renderWithClient(<App />);
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
  });

  it("drops an expired token and returns to the sign-in form", async () => {
    setToken("expired");
    const unauthorized = () =>
      json(401, { statusCode: 401, code: "UNAUTHORIZED", message: "Token expired" });
    stubFetch({
      "GET /api/v1/me": unauthorized,
      "GET /api/v1/sites": unauthorized,
      "GET /api/v1/auth/status": () => json(200, { setupRequired: false }),
    });
    renderWithClient(<App />);

    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(getToken()).toBeNull();
  });

  it("goes from first-admin setup to the dashboard and clears ?setup from the URL", async () => {
    window.history.replaceState(null, "", "/?setup=tok-1");
    const { calls } = stubFetch({
      "GET /api/v1/auth/status": () => json(200, { setupRequired: true }),
      "POST /api/v1/auth/setup": () => json(200, { token: "jwt-new", user: me }),
      "GET /api/v1/me": () => json(200, me),
      "GET /api/v1/sites": () => json(200, { sites: [] }),
    });
    const { container } = renderWithClient(<App />);

    await screen.findByRole("heading", { name: "Create the first admin" });
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: me.email } });
    fireEvent.change(screen.getByLabelText("Password"), {
      target: { value: "a long enough password" },
    });
    fireEvent.change(screen.getByLabelText("Confirm password"), {
      target: { value: "a long enough password" },
    });
    fireEvent.submit(container.querySelector("form") as HTMLFormElement);

    expect(await screen.findByRole("heading", { name: "Add your first site" })).toBeTruthy();
    expect(await screen.findByText(me.email)).toBeTruthy();
    expect(getToken()).toBe("jwt-new");
    expect(window.location.search).toBe("");
    expect(calls.find((c) => c.path === "/api/v1/me")?.headers.get("Authorization")).toBe(
      "Bearer jwt-new",
    );
  });

  it("signs out back to the sign-in form", async () => {
    setToken("jwt-1");
    stubFetch({
      "GET /api/v1/me": () => json(200, me),
      "GET /api/v1/sites": () => json(200, { sites: [] }),
      "GET /api/v1/auth/status": () => json(200, { setupRequired: false }),
    });
    renderWithClient(<App />);

    fireEvent.click(await screen.findByRole("button", { name: "Sign out" }));

    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    await waitFor(() => expect(getToken()).toBeNull());
  });
});
