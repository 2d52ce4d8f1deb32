import {
  BarChart,
  type BarSeriesOption,
  HeatmapChart,
  type HeatmapSeriesOption,
  PieChart,
  type PieSeriesOption,
  ScatterChart,
  type ScatterSeriesOption,
} from "echarts/charts";
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
  VisualMapComponent,
  type VisualMapComponentOption,
} from "echarts/components";
import { type ComposeOption, init, use } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";
import type { QueryResult } from "../api/types.ts";
import type { VisualOptions, VisualType } from "../boards/model.ts";
import { followSize } from "../charts/followSize.ts";
import { bucketText } from "../charts/TimeSeries.tsx";
import { valueLabel } from "../state/dimensions.ts";
import type { Granularity } from "../state/periods.ts";
import { metricFormat, metricLabel, num } from "./format.ts";

// Bars, stacked bars, pies, the weekday-by-hour heatmap and scatter plots, drawn by ECharts
// (loaded only when a custom dashboard shows one), in the theme's colours.
use([
  BarChart,
  PieChart,
  HeatmapChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

type Option = ComposeOption<
  | BarSeriesOption
  | PieSeriesOption
  | HeatmapSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, "0"));

/** The ECharts option for one visual type and answer. Exported for tests. */
export function buildOption(
  type: VisualType,
  result: QueryResult,
  options: VisualOptions = {},
  granularity?: Granularity,
): Option {
  const palette =
    options.colors && options.colors.length > 0
      ? options.colors
      : Array.from({ length: 8 }, (_, i) => cssVar(`--series-${i}`, "#4f46e5"));
  const text = cssVar("--muted", "#4b5563");
  const gridLine = cssVar("--chart-grid", "#e5e7eb");
  const metrics = result.columns.filter((c) => c.kind === "metric").map((c) => c.name);
  const dims = result.columns.filter((c) => c.kind === "dimension").map((c) => c.name);
  const hasTime = result.columns.some((c) => c.kind === "time");
  const topN = options.topN ?? 10;
  const first = metrics[0] ?? "";
  const fmt = metricFormat(first);
  const axisLabel = { color: text };
  const axisLine = { lineStyle: { color: gridLine } };
  const splitLine = { lineStyle: { color: gridLine } };
  const base = {
    color: palette,
    textStyle: { color: cssVar("--text", "#111827") },
    tooltip: { trigger: "item" as const },
  };
  const keyOf = (r: Record<string, unknown>, d: string | undefined) =>
    d === undefined ? "" : String(r[d] ?? "");
  const labelOf = (d: string | undefined, v: string) => (d === undefined ? v : valueLabel(d, v));

  if (type === "pie") {
    const d = dims[0];
    const rows = result.rows.slice(0, topN);
    return {
      ...base,
      legend: { bottom: 0, textStyle: { color: text }, type: "scroll" },
      series: [
        {
          type: "pie",
          radius: options.donut ? ["45%", "70%"] : "70%",
          center: ["50%", "45%"],
          // Slices are named in the legend and the tooltip; labels around a pie collide.
          label: { show: false },
          data: rows.map((r) => ({ name: labelOf(d, keyOf(r, d)), value: num(r[first]) ?? 0 })),
        },
      ],
    };
  }

  if (type === "heatmap") {
    const day = dims.includes("day_of_week") ? "day_of_week" : "";
    const hour = dims.includes("hour_of_day") ? "hour_of_day" : "";
    const data = result.rows.map((r) => [
      HOURS.indexOf(String(r[hour])),
      Number(r[day]) - 1,
      num(r[first]) ?? 0,
    ]);
    const max = Math.max(1, ...data.map((p) => Number(p[2])));
    return {
      ...base,
      grid: { left: 44, right: 12, top: 8, bottom: 56 },
      xAxis: { type: "category", data: HOURS, axisLabel, axisLine, splitArea: { show: true } },
      yAxis: { type: "category", data: WEEKDAYS, axisLabel, axisLine, inverse: true },
      visualMap: {
        min: 0,
        max,
        calculable: false,
        orient: "horizontal",
        left: "center",
        bottom: 0,
        itemHeight: 120,
        textStyle: { color: text },
        inRange: { color: [cssVar("--surface-2", "#f1f3f7"), cssVar("--accent", "#4338ca")] },
      },
      series: [{ type: "heatmap", data, emphasis: { itemStyle: { borderColor: text } } }],
    };
  }

  if (type === "scatter") {
    const d = dims[0];
    const [mx, my] = metrics;
    return {
      ...base,
      grid: { left: 56, right: 16, top: 16, bottom: 40 },
      xAxis: {
        type: "value",
        name: metricLabel(mx ?? ""),
        nameLocation: "middle",
        nameGap: 26,
        nameTextStyle: { color: text },
        axisLabel,
        axisLine,
        splitLine,
      },
      yAxis: {
        type: "value",
        name: metricLabel(my ?? ""),
        nameTextStyle: { color: text },
        axisLabel,
        axisLine,
        splitLine,
      },
      tooltip: {
        trigger: "item",
        formatter: (p) => {
          const v = (p as unknown as { value: [number, number, string] }).value;
          return `${v[2]}<br>${metricLabel(mx ?? "")}: ${metricFormat(mx ?? "")(v[0])}<br>${metricLabel(my ?? "")}: ${metricFormat(my ?? "")(v[1])}`;
        },
      },
      series: [
        {
          type: "scatter",
          symbolSize: 10,
          data: result.rows.map((r) => [
            num(r[mx ?? ""]) ?? 0,
            num(r[my ?? ""]) ?? 0,
            labelOf(d, keyOf(r, d)),
          ]),
        },
      ],
    };
  }

  // Bars: categories along one axis (time buckets or a breakdown's values), values along the other.
  const horizontal = options.horizontal === true;
  let categories: string[];
  let series: BarSeriesOption[];
  const stacked = type === "stacked_bar" || options.stacked === true;
  if (type === "stacked_bar" || (dims.length >= 1 && hasTime) || dims.length === 2) {
    // Categories by time (or the first breakdown), one series per value of the last breakdown.
    const catKey = hasTime ? "time" : (dims[0] ?? "");
    const serKey = hasTime ? (dims[0] ?? "") : (dims[1] ?? "");
    const totals = new Map<string, number>();
    for (const r of result.rows) {
      const s = keyOf(r, serKey);
      totals.set(s, (totals.get(s) ?? 0) + (num(r[first]) ?? 0));
    }
    const keep = [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, topN)
      .map(([s]) => s);
    const cats = [...new Set(result.rows.map((r) => keyOf(r, catKey)))];
    if (hasTime) cats.sort();
    categories = cats;
    series = keep.map((s) => ({
      type: "bar",
      name: labelOf(serKey, s),
      stack: stacked ? "total" : undefined,
      data: cats.map((c) => {
        const r = result.rows.find((x) => keyOf(x, catKey) === c && keyOf(x, serKey) === s);
        return r ? (num(r[first]) ?? 0) : 0;
      }),
    }));
    if (hasTime && granularity) categories = cats.map((c) => bucketText(c, granularity));
    else categories = cats.map((c) => labelOf(catKey, c));
  } else {
    const catKey = hasTime ? "time" : dims[0];
    const rows = hasTime ? result.rows : result.rows.slice(0, topN);
    categories = rows.map((r) =>
      hasTime && granularity
        ? bucketText(String(r.time), granularity)
        : labelOf(catKey, keyOf(r, catKey)),
    );
    series = metrics.map((m) => ({
      type: "bar",
      name: metricLabel(m),
      stack: stacked ? "total" : undefined,
      data: rows.map((r) => num(r[m]) ?? 0),
    }));
  }
  const catAxis = { type: "category" as const, data: categories, axisLabel, axisLine };
  const valAxis = {
    type: "value" as const,
    axisLabel: { ...axisLabel, formatter: (v: number) => fmt(v) },
    axisLine,
    splitLine,
    min: options.axis?.min,
    max: options.axis?.max,
  };
  return {
    ...base,
    tooltip: { trigger: "axis" },
    legend:
      series.length > 1 ? { bottom: 0, textStyle: { color: text }, type: "scroll" } : undefined,
    grid: {
      left: horizontal ? 120 : 56,
      right: 16,
      top: 12,
      bottom: series.length > 1 ? 48 : 28,
    },
    xAxis: horizontal ? valAxis : catAxis,
    yAxis: horizontal ? { ...catAxis, inverse: true } : valAxis,
    series,
  };
}

export default function EChartsVisual({
  type,
  result,
  options,
  granularity,
}: {
  type: VisualType;
  result: QueryResult;
  options?: VisualOptions;
  granularity?: Granularity;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = init(el, undefined, { renderer: "svg" });
    chart.setOption(buildOption(type, result, options, granularity));
    const resize = followSize(el, chart);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [type, result, options, granularity]);
  return (
    <div
      ref={ref}
      className="echart"
      role="img"
      aria-label={`${type.replace("_", " ")} chart`}
      data-testid={`widget-${type}`}
    />
  );
}
