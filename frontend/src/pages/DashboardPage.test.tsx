import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../App.tsx";
import { setToken } from "../api/token.ts";
import { type FetchCall, json, renderWithClient, stubFetch } from "../testing.tsx";

// The dashboard against a stubbed API: what it asks for and what it shows. The real API, data
// and browser are exercised by the Chromium suite in backend/e2e.

const site = { id: "shop.test", name: "Shop", domains: ["shop.test"], timezone: "Europe/Berlin" };

function queryAnswer(call: FetchCall) {
  const spec = call.body as {
    metrics: (string | { label?: string })[];
    dimensions?: string[];
    granularity?: string;
    filters?: { dimension: string; value: string }[];
    compare?: string;
  };
  const filtered = (spec.filters ?? []).some((f) => f.dimension === "country");
  const names = spec.metrics.map((m) => (typeof m === "string" ? m : (m.label ?? "")));
  const row = Object.fromEntries(names.map((n) => [n, filtered ? 7 : 120]));
  if (spec.granularity) {
    return json(200, {
      from: "x",
      to: "y",
      tz: "UTC",
      columns: [],
      rows: [{ time: "2026-03-01", ...row }],
    });
  }
  const dim = spec.dimensions?.[0];
  const rows = dim
    ? [
        { [dim]: dim === "country" ? "DE" : "/pricing", ...row },
        { [dim]: dim === "country" ? "FR" : "/", ...row },
      ]
    : [row];
  return json(200, {
    from: "x",
    to: "y",
    tz: "UTC",
    columns: [],
    rows,
    ...(spec.compare
      ? { comparison: { from: "a", to: "b", rows: [{ ...row, visitors: 100 }] } }
      : {}),
  });
}

let calls: FetchCall[];

beforeEach(() => {
  setToken("jwt");
  ({ calls } = stubFetch({
    "GET /api/v1/me": () => json(200, { email: "a@b.test", role: "admin" }),
    "GET /api/v1/sites": () => json(200, { sites: [site] }),
    "GET /api/v1/sites/shop.test/status": () =>
      json(200, {
        firstEventAt: "2024-01-01T00:00:00.000Z",
        lastEventAt: "2026-03-01T00:00:00.000Z",
        events24h: 5,
        botEvents24h: 0,
      }),
    "POST /api/v1/query": queryAnswer,
    "POST /api/v1/reports/realtime": () =>
      json(200, { visitors: 3, minutes: [], pages: [], sources: [] }),
    "POST /api/v1/reports/events": () =>
      json(200, { from: "x", to: "y", tz: "UTC", columns: [], rows: [] }),
  }));
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
  window.history.replaceState(null, "", "/");
});

describe("the site dashboard", () => {
  it("opens the first site, in its own time zone, and shows the API's numbers", async () => {
    renderWithClient(<App />);
    const visitors = await screen.findByTestId("kpi-visitors");
    expect(window.location.pathname).toBe("/sites/shop.test");
    expect(visitors.getAttribute("data-value")).toBe("120");
    // +20% against the previous period's 100.
    expect(visitors.closest("button")?.textContent).toContain("20%");
    const specs = calls
      .filter((c) => c.path === "/api/v1/query")
      .map((c) => c.body as { tz: string });
    expect(new Set(specs.map((s) => s.tz))).toEqual(new Set(["Europe/Berlin"]));
    expect((await screen.findByTestId("current-visitors")).textContent).toContain(
      "3 current visitors",
    );
  });

  it("filters the whole dashboard when a row is clicked, and drops the filter from its chip", async () => {
    renderWithClient(<App />);
    const locations = (await screen.findByRole("heading", { name: "Locations" })).closest(
      "section",
    )!;
    fireEvent.click(await within(locations as HTMLElement).findByRole("link", { name: "Germany" }));
    expect(window.location.search).toBe("?f.is.country=DE");
    const chip = await screen.findByTestId("filter-chip");
    expect(chip.textContent).toContain("Country is Germany");
    await waitFor(() =>
      expect(screen.getByTestId("kpi-visitors").getAttribute("data-value")).toBe("7"),
    );
    fireEvent.click(within(chip).getByRole("link", { name: /Remove filter/ }));
    expect(window.location.search).toBe("");
    await waitFor(() => expect(screen.queryByTestId("filter-chip")).toBeNull());
  });

  it("explains a range longer than a report may span instead of asking for it", async () => {
    window.history.replaceState(null, "", "/sites/shop.test?period=all");
    renderWithClient(<App />);
    expect(
      await screen.findByText(/All time covers .* days, but a report can span at most 366/),
    ).toBeTruthy();
    expect(calls.some((c) => c.path === "/api/v1/query")).toBe(false);
  });
});
