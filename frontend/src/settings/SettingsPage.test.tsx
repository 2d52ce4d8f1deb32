import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "../App.tsx";
import { setToken } from "../api/token.ts";
import { json, renderWithClient, stubFetch } from "../testing.tsx";

// The settings as the App shows them: sections by role, a refusal for the rest, the server's
// reason for a refused password. Sites are empty, so no chart is drawn under jsdom.

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
  window.history.replaceState(null, "", "/");
});

const editor = {
  id: "u2",
  email: "editor@example.com",
  role: "member",
  instanceAdmin: false,
  sites: { "shop.example": "editor" },
};
const session = {
  id: "s1",
  createdAt: "2026-12-01T10:00:00.000Z",
  lastUsedAt: "2026-12-03T09:00:00.000Z",
  expiresAt: "2027-01-01T10:00:00.000Z",
  userAgent: "Firefox on Linux",
  current: true,
};

function open(path: string, routes: Parameters<typeof stubFetch>[0] = {}) {
  setToken("jwt");
  window.history.replaceState(null, "", path);
  const stub = stubFetch({
    "GET /api/v1/me": () => json(200, editor),
    "GET /api/v1/sites": () => json(200, { sites: [] }),
    "GET /api/v1/auth/sessions": () => json(200, { sessions: [session] }),
    ...routes,
  });
  renderWithClient(<App />);
  return stub;
}

describe("settings", () => {
  it("shows an editor their account, API tokens and share links only, and says so on an admin's page", async () => {
    const { calls } = open("/settings/users");
    expect(await screen.findByRole("heading", { name: "Not available to you" })).toBeTruthy();
    const nav = screen.getByRole("navigation", { name: "Settings" });
    expect(
      within(nav)
        .getAllByRole("link")
        .map((a) => a.textContent),
    ).toEqual(["Your account", "API tokens", "Share links"]);
    expect(calls.some((c) => c.path === "/api/v1/users")).toBe(false);
  });

  it("lists the sessions and shows the server's reason for a weak password", async () => {
    const { calls } = open("/settings/account", {
      "POST /api/v1/auth/password": () =>
        json(400, {
          statusCode: 400,
          code: "WEAK_PASSWORD",
          message:
            "body/newPassword: is too easy to guess: it is a common password. A few unrelated words make a strong password",
        }),
    });
    expect(await screen.findByText("Firefox on Linux")).toBeTruthy();
    expect(screen.getByText("this browser")).toBeTruthy();
    expect(screen.getByText(/editor/, { selector: "strong" })).toBeTruthy();

    fireEvent.change(screen.getByLabelText("Current password"), { target: { value: "old one" } });
    fireEvent.change(screen.getByLabelText("New password"), {
      target: { value: "password1234" },
    });
    fireEvent.change(screen.getByLabelText("Repeat the new password"), {
      target: { value: "password1234" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "The new password is too easy to guess: it is a common password. A few unrelated words make a strong password.",
    );
    expect(calls.find((c) => c.path === "/api/v1/auth/password")?.body).toEqual({
      currentPassword: "old one",
      newPassword: "password1234",
    });
  });
});
