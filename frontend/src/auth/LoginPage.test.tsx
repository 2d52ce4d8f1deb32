import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createQueryClient } from "../api/queryClient.ts";
import { getToken } from "../api/token.ts";
import { deferred, json, renderWithClient, stubFetch } from "../testing.tsx";
import { LoginPage } from "./LoginPage.tsx";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
  window.history.replaceState(null, "", "/");
});

function input(container: HTMLElement, name: string): HTMLInputElement {
  const el = container.querySelector<HTMLInputElement>(`input[name=${name}]`);
  if (!el) throw new Error(`no input[name=${name}]`);
  return el;
}

describe("sign-in form", () => {
  it("disables the button while pending and then shows the server's error message", async () => {
    const login = deferred<Response>();
    const { calls } = stubFetch({
      "GET /api/v1/auth/status": () => json(200, { setupRequired: false }),
      "POST /api/v1/auth/login": () => login.promise,
    });
    const { container } = renderWithClient(<LoginPage />);

    await screen.findByRole("heading", { name: "Sign in" });
    fireEvent.change(input(container, "email"), { target: { value: " admin@example.com " } });
    fireEvent.change(input(container, "password"), { target: { value: "not the password" } });
    const submit = container.querySelector<HTMLButtonElement>("button[type=submit]");
    if (!submit) throw new Error("no submit button");
    fireEvent.click(submit);

    await waitFor(() => expect(submit.disabled).toBe(true));
    expect(submit.textContent).toBe("Signing in…");

    login.resolve(
      json(401, {
        statusCode: 401,
        code: "INVALID_CREDENTIALS",
        error: "Unauthorized",
        message: "Invalid email or password",
      }),
    );

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Invalid email or password");
    expect(submit.disabled).toBe(false);
    expect(calls.find((c) => c.path === "/api/v1/auth/login")?.body).toEqual({
      email: "admin@example.com",
      password: "not the password",
    });
    expect(getToken()).toBeNull();
  });

  it("stores the JWT when sign-in succeeds", async () => {
    stubFetch({
      "GET /api/v1/auth/status": () => json(200, { setupRequired: false }),
      "POST /api/v1/auth/login": () =>
        json(200, { token: "jwt-abc", user: { email: "admin@example.com", role: "admin" } }),
    });
    const { container } = renderWithClient(<LoginPage />);

    await screen.findByRole("heading", { name: "Sign in" });
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "admin@example.com" } });
    fireEvent.change(screen.getByLabelText("Password"), {
      target: { value: "correct horse battery" },
    });
    fireEvent.submit(input(container, "email").form as HTMLFormElement);

    await waitFor(() => expect(getToken()).toBe("jwt-abc"));
  });

  it("shows the status error with a retry when the server cannot be reached", async () => {
    let up = false;
    const { calls } = stubFetch({
      "GET /api/v1/auth/status": () =>
        up ? json(200, { setupRequired: false }) : json(503, { message: "Database is starting" }),
    });
    // The app's own retry policy (5xx is retried twice), minus the backoff wait.
    const client = createQueryClient();
    client.setQueryDefaults(["auth"], { retryDelay: 0 });
    renderWithClient(<LoginPage />, client);

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Database is starting");
    expect(calls.length).toBe(3);

    up = true;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
  });
});

describe("first-admin setup form", () => {
  it("replaces the sign-in form and prefills the token from ?setup=", async () => {
    window.history.replaceState(null, "", "/?setup=tok-123");
    stubFetch({ "GET /api/v1/auth/status": () => json(200, { setupRequired: true }) });
    const { container } = renderWithClient(<LoginPage />);

    await screen.findByRole("heading", { name: "Create the first admin" });
    expect(input(container, "token").value).toBe("tok-123");
    expect(screen.queryByRole("heading", { name: "Sign in" })).toBeNull();
  });

  it("checks length and confirmation locally before calling the server", async () => {
    const { calls } = stubFetch({
      "GET /api/v1/auth/status": () => json(200, { setupRequired: true }),
    });
    const { container } = renderWithClient(<LoginPage />);
    await screen.findByRole("heading", { name: "Create the first admin" });
    const form = input(container, "token").form as HTMLFormElement;

    fireEvent.change(input(container, "token"), { target: { value: "tok" } });
    fireEvent.change(input(container, "email"), { target: { value: "admin@example.com" } });
    fireEvent.change(input(container, "password"), { target: { value: "short" } });
    fireEvent.change(input(container, "confirm"), { target: { value: "short" } });
    fireEvent.submit(form);
    expect((await screen.findByRole("alert")).textContent).toMatch(/at least 12 characters/);

    fireEvent.change(input(container, "password"), { target: { value: "a long enough password" } });
    fireEvent.change(input(container, "confirm"), { target: { value: "a different password" } });
    fireEvent.submit(form);
    expect((await screen.findByRole("alert")).textContent).toBe("The passwords do not match.");

    expect(calls.some((c) => c.path === "/api/v1/auth/setup")).toBe(false);
  });

  it("sends token, email and password, and shows the server's message on failure", async () => {
    const { calls } = stubFetch({
      "GET /api/v1/auth/status": () => json(200, { setupRequired: true }),
      "POST /api/v1/auth/setup": () =>
        json(403, {
          statusCode: 403,
          code: "BAD_SETUP_TOKEN",
          message: "The setup token is not valid",
        }),
    });
    const { container } = renderWithClient(<LoginPage />);
    await screen.findByRole("heading", { name: "Create the first admin" });

    fireEvent.change(input(container, "token"), { target: { value: " tok-9 " } });
    fireEvent.change(input(container, "email"), { target: { value: "admin@example.com" } });
    fireEvent.change(input(container, "password"), { target: { value: "a long enough password" } });
    fireEvent.change(input(container, "confirm"), { target: { value: "a long enough password" } });
    fireEvent.click(screen.getByRole("button", { name: "Create admin and sign in" }));

    expect((await screen.findByRole("alert")).textContent).toBe("The setup token is not valid");
    expect(calls.find((c) => c.path === "/api/v1/auth/setup")?.body).toEqual({
      token: "tok-9",
      email: "admin@example.com",
      password: "a long enough password",
    });
    expect(getToken()).toBeNull();
  });
});

describe("sign-in with the OpenID provider", () => {
  it("offers the provider's button when the server has one, as a link to the start route", async () => {
    stubFetch({
      "GET /api/v1/auth/status": () => json(200, { setupRequired: false }),
      "GET /api/v1/auth/methods": () =>
        json(200, {
          password: true,
          oidc: { label: "Example ID", startUrl: "/api/v1/auth/oidc/start" },
        }),
    });
    renderWithClient(<LoginPage />);
    const link = await screen.findByRole("link", { name: "Sign in with Example ID" });
    expect(link.getAttribute("href")).toBe("/api/v1/auth/oidc/start");
  });

  it("offers passwords only when the provider is off", async () => {
    const { calls } = stubFetch({
      "GET /api/v1/auth/status": () => json(200, { setupRequired: false }),
      "GET /api/v1/auth/methods": () => json(200, { password: true, oidc: null }),
    });
    renderWithClient(<LoginPage />);
    await screen.findByRole("heading", { name: "Sign in" });
    await waitFor(() => expect(calls.some((c) => c.path === "/api/v1/auth/methods")).toBe(true));
    expect(screen.queryByRole("link")).toBeNull();
  });

  it("back from the provider, swaps the refresh cookie for a token and drops the marker", async () => {
    window.history.replaceState(null, "", "/?signin=oidc&x=1");
    const { calls } = stubFetch({
      "GET /api/v1/auth/status": () => json(200, { setupRequired: false }),
      "POST /api/v1/auth/refresh": () => json(200, { token: "jwt-from-oidc", expiresIn: 900 }),
    });
    renderWithClient(<LoginPage />);
    await waitFor(() => expect(getToken()).toBe("jwt-from-oidc"));
    expect(window.location.search).toBe("?x=1");
    expect(calls.filter((c) => c.path === "/api/v1/auth/refresh")).toHaveLength(1);
  });

  it("says so when the session cannot be picked up", async () => {
    window.history.replaceState(null, "", "/?signin=oidc");
    stubFetch({
      "GET /api/v1/auth/status": () => json(200, { setupRequired: false }),
      "POST /api/v1/auth/refresh": () => json(401, { code: "REFRESH_INVALID", message: "no" }),
    });
    renderWithClient(<LoginPage />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Signing in with the provider did not complete");
    expect(getToken()).toBeNull();
  });
});
