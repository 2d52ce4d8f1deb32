import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setToken } from "../api/token.ts";
import type { DailyPoint } from "../api/types.ts";
import { type FetchCall, json, renderWithClient, stubFetch } from "../testing.tsx";
import { DashboardPage } from "./DashboardPage.tsx";
import { countDays } from "./dateRange.ts";

// ECharts cannot draw under jsdom; the real chart is covered in Chromium end-to-end.
vi.mock("./DailyChart.tsx", () => ({
  DailyChart: ({ days }: { days?: readonly DailyPoint[] }) => (
    <div data-testid="daily-chart" data-points={days?.length} />
  ),
}));

const sites = [
  { id: "a.com", name: "Site A", domains: ["a.com"] },
  { id: "b.com", name: "Site B", domains: ["b.com"] },
];

// Zero-filled days with one visit a day, as the backend returns.
function daily(call: FetchCall) {
  const from = call.query.get("from") ?? "";
  const to = call.query.get("to") ?? "";
  const n = countDays({ from, to });
  const days = Array.from({ length: n }, (_, i) => ({ date: `d${i}`, pageviews: 3, visitors: 1 }));
  return json(200, {
    site: call.query.get("site"),
    from,
    to,
    tz: call.query.get("tz"),
    totals: { pageviews: 3 * n + (call.query.get("site") === "b.com" ? 1000 : 0), visitors: n },
    days,
  });
}

beforeEach(() => {
  // Only Date is faked, so promises and React's scheduling run normally.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(2026, 2, 15, 12, 0));
  setToken("jwt-1");
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  localStorage.clear();
  window.history.replaceState(null, "", "/");
});

function stubApi(overrides: Record<string, (call: FetchCall) => Response> = {}) {
  return stubFetch({
    "GET /api/v1/me": () => json(200, { email: "admin@example.com", role: "admin" }),
    "GET /api/v1/sites": () => json(200, { sites }),
    "GET /api/v1/stats/daily": daily,
    ...overrides,
  });
}

function select(container: HTMLElement, name: string): HTMLSelectElement {
  const el = container.querySelector<HTMLSelectElement>(`select[name=${name}]`);
  if (!el) throw new Error(`no select[name=${name}]`);
  return el;
}

describe("DashboardPage", () => {
  it("shows the totals of the last 30 days for the first site, in the browser's time zone", async () => {
    const { calls } = stubApi();
    const { container } = renderWithClient(<DashboardPage />);

    const pageviews = await screen.findByTestId("kpi-pageviews");
    expect(pageviews.dataset.value).toBe("90");
    expect(screen.getByTestId("kpi-visitors").dataset.value).toBe("30");
    expect(screen.getByTestId("daily-chart").dataset.points).toBe("30");
    expect(select(container, "site").value).toBe("a.com");
    expect(select(container, "range").value).toBe("30d");
    expect(screen.getByText("admin@example.com")).toBeTruthy();

    const request = calls.find((c) => c.path === "/api/v1/stats/daily");
    expect(Object.fromEntries(request?.query ?? [])).toEqual({
      site: "a.com",
      from: "2026-02-14",
      to: "2026-03-15",
      tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
    expect(request?.headers.get("Authorization")).toBe("Bearer jwt-1");
  });

  it("takes the site and range from the URL and writes changes back to it", async () => {
    window.history.replaceState(null, "", "/?site=b.com&range=7d");
    stubApi();
    const { container } = renderWithClient(<DashboardPage />);

    expect((await screen.findByTestId("kpi-pageviews")).dataset.value).toBe("1021");
    expect(select(container, "site").value).toBe("b.com");

    fireEvent.change(select(container, "site"), { target: { value: "a.com" } });
    fireEvent.change(select(container, "range"), { target: { value: "90d" } });

    await waitFor(() => expect(screen.getByTestId("kpi-pageviews").dataset.value).toBe("270"));
    expect(window.location.search).toBe("?site=a.com&range=90d");
    expect(localStorage.getItem("sightline.site")).toBe("a.com");
  });

  it("queries a custom range only once it is valid", async () => {
    const { calls } = stubApi();
    const { container } = renderWithClient(<DashboardPage />);
    await screen.findByTestId("kpi-pageviews");

    fireEvent.change(select(container, "range"), { target: { value: "custom" } });
    const from = await screen.findByLabelText("From");
    const to = screen.getByLabelText("To");
    expect((from as HTMLInputElement).value).toBe("2026-02-14");
    expect((to as HTMLInputElement).value).toBe("2026-03-15");

    const before = calls.length;
    fireEvent.change(from, { target: { value: "2026-03-20" } });
    expect(screen.getByRole("alert").textContent).toMatch(/on or before/);
    expect(calls.length).toBe(before);

    fireEvent.change(from, { target: { value: "2026-03-01" } });
    fireEvent.change(to, { target: { value: "2026-03-10" } });
    await waitFor(() => expect(screen.getByTestId("kpi-visitors").dataset.value).toBe("10"));
    expect(window.location.search).toBe("?range=custom&from=2026-03-01&to=2026-03-10");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows the server's message when the stats request is refused", async () => {
    stubApi({
      "GET /api/v1/stats/daily": () =>
        json(400, { statusCode: 400, code: "BAD_TZ", message: "Unknown time zone" }),
    });
    renderWithClient(<DashboardPage />);

    expect((await screen.findByRole("alert")).textContent).toContain("Unknown time zone");
    expect(screen.queryByTestId("kpi-pageviews")).toBeNull();
  });

  it("shows the empty state when there are no sites", async () => {
    stubApi({ "GET /api/v1/sites": () => json(200, { sites: [] }) });
    const { container } = renderWithClient(<DashboardPage />);

    expect(await screen.findByText(/No sites yet/)).toBeTruthy();
    expect(container.querySelector("code")?.textContent).toBe("pnpm demo");
    expect(container.querySelector("select[name=site]")).toBeNull();
  });
});
