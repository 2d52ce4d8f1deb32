import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { formatCount } from "../lib/format.ts";
import { bucketText, niceTicks, TimeSeries } from "./TimeSeries.tsx";

afterEach(cleanup);

const labels = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"];

describe("TimeSeries", () => {
  it("draws the last bucket dashed when it has only partly happened", () => {
    render(
      <TimeSeries
        labels={labels}
        values={[10, 20, 30, 4]}
        granularity="day"
        format={formatCount}
        partialLast
        label="Visitors by day"
      />,
    );
    const svg = screen.getByRole("img", { name: "Visitors by day" });
    expect(svg.getAttribute("data-points")).toBe("4");
    const partial = svg.querySelector("[data-testid=partial-bucket]");
    // One segment: from the third bucket to the fourth.
    expect(partial?.getAttribute("d")?.match(/[ML]/g)).toEqual(["M", "L"]);
    expect(svg.querySelector("[data-testid=comparison-line]")).toBeNull();
  });

  it("draws the comparison and shows both values, with the comparison's own dates, on hover", () => {
    const { container } = render(
      <TimeSeries
        labels={labels}
        values={[10, 20, 30, 40]}
        comparison={[5, 15, null, 35]}
        comparisonLabels={["2026-02-25", "2026-02-26", "2026-02-27", "2026-02-28"]}
        granularity="day"
        format={formatCount}
        label="Visitors by day"
        comparisonName="Previous period"
      />,
    );
    expect(container.querySelector("[data-testid=comparison-line]")).not.toBeNull();
    const overlay = container.querySelector("rect") as SVGRectElement;
    overlay.getBoundingClientRect = () => ({ left: 0, width: 300 }) as DOMRect;
    fireEvent.pointerMove(overlay, { clientX: 100 });
    const tip = screen.getByRole("status");
    expect(tip.textContent).toContain("2 Mar 2026");
    expect(tip.textContent).toContain("This period: 20");
    expect(tip.textContent).toContain("Previous period (26 Feb 2026): 15");
  });

  it("picks round ticks, whole numbers for counts", () => {
    expect(niceTicks(2, 4, true)).toEqual([0, 1, 2]);
    expect(niceTicks(2)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(niceTicks(730)).toEqual([0, 200, 400, 600, 800]);
  });

  it("labels buckets as people read them", () => {
    expect(bucketText("2026-03-08T14:00:00+01:00", "hour")).toBe("14:00");
    expect(bucketText("2026-03-01", "month")).toBe("Mar 2026");
    expect(bucketText("2026-03-02", "week", true)).toBe("Week of 2 Mar 2026");
  });
});
