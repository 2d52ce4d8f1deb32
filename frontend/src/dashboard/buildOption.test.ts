import { describe, expect, it } from "vitest";
import { buildOption } from "./DailyChart.tsx";

// Only the option object is checked here; drawing it needs a real canvas (covered in Chromium).
describe("buildOption", () => {
  const days = [
    { date: "2026-03-01", pageviews: 10, visitors: 4 },
    { date: "2026-03-02", pageviews: 0, visitors: 0 },
    { date: "2026-03-03", pageviews: 7, visitors: 3 },
  ];

  it("maps each day to one category and one point per series", () => {
    const option = buildOption(days);
    expect(option.xAxis).toMatchObject({
      type: "category",
      data: ["2026-03-01", "2026-03-02", "2026-03-03"],
    });
    expect(option.series).toEqual([
      expect.objectContaining({ name: "Pageviews", type: "bar", data: [10, 0, 7] }),
      expect.objectContaining({ name: "Visitors", type: "line", data: [4, 0, 3] }),
    ]);
  });

  it("uses the palette it is given", () => {
    const option = buildOption(days, {
      pageviews: "#111",
      visitors: "#222",
      text: "#333",
      grid: "#444",
    });
    expect(option.color).toEqual(["#111", "#222"]);
  });

  it("hides line markers on long ranges, where they would crowd the line", () => {
    const long = Array.from({ length: 90 }, (_, i) => ({
      date: `d${i}`,
      pageviews: i,
      visitors: i,
    }));
    expect(buildOption(long).series).toContainEqual(
      expect.objectContaining({ name: "Visitors", showSymbol: false }),
    );
    expect(buildOption(days).series).toContainEqual(
      expect.objectContaining({ name: "Visitors", showSymbol: true }),
    );
  });
});
