import { BarChart, type BarSeriesOption, LineChart, type LineSeriesOption } from "echarts/charts";
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from "echarts/components";
import { type ComposeOption, type EChartsType, init, use } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";
import type { DailyPoint } from "../api/types.ts";
import { Loading } from "../ui/Notice.tsx";
import { parseLocalDate } from "./dateRange.ts";

// Register only what this chart draws; the full echarts bundle is several times larger.
use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>;

export interface ChartPalette {
  pageviews: string;
  visitors: string;
  text: string;
  grid: string;
}

const LIGHT: ChartPalette = {
  pageviews: "#c7d2fe",
  visitors: "#4f46e5",
  text: "#6b7280",
  grid: "#e5e7eb",
};

/** Chart colours from the stylesheet's variables, so the canvas follows light and dark mode. */
function paletteFrom(el: HTMLElement): ChartPalette {
  const style = getComputedStyle(el);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    pageviews: read("--chart-pageviews", LIGHT.pageviews),
    visitors: read("--chart-visitors", LIGHT.visitors),
    text: read("--muted", LIGHT.text),
    grid: read("--border", LIGHT.grid),
  };
}

const axisDate = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const tooltipDate = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  month: "short",
  day: "numeric",
  year: "numeric",
});

function formatDate(date: string, format: Intl.DateTimeFormat): string {
  const parsed = parseLocalDate(date);
  return parsed ? format.format(parsed) : date;
}

export function buildOption(
  days: readonly DailyPoint[],
  colors: ChartPalette = LIGHT,
): ChartOption {
  return {
    color: [colors.pageviews, colors.visitors],
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, icon: "roundRect", textStyle: { color: colors.text } },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      valueFormatter: (value) =>
        typeof value === "number" ? value.toLocaleString() : String(value),
    },
    xAxis: {
      type: "category",
      data: days.map((d) => d.date),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: colors.grid } },
      axisLabel: {
        color: colors.text,
        hideOverlap: true,
        formatter: (value: string) => formatDate(value, axisDate),
      },
      axisPointer: { label: { formatter: ({ value }) => formatDate(String(value), tooltipDate) } },
    },
    yAxis: {
      type: "value",
      minInterval: 1,
      axisLabel: { color: colors.text },
      splitLine: { lineStyle: { color: colors.grid } },
    },
    series: [
      {
        name: "Pageviews",
        type: "bar",
        data: days.map((d) => d.pageviews),
        barMaxWidth: 24,
        itemStyle: { borderRadius: [3, 3, 0, 0] },
      },
      {
        name: "Visitors",
        type: "line",
        data: days.map((d) => d.visitors),
        symbol: "circle",
        symbolSize: 6,
        showSymbol: days.length <= 31,
        lineStyle: { width: 2.5 },
      },
    ],
  };
}

interface DailyChartProps {
  /** undefined while loading: the chart stays mounted (no re-init flash) and shows a loading veil. */
  days: readonly DailyPoint[] | undefined;
  label: string;
}

export function DailyChart({ days, label }: DailyChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<EChartsType | null>(null);

  // One ECharts instance per mount: created here, resized with the window, disposed on unmount.
  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const chart = init(el, undefined, { renderer: "canvas" });
    chartRef.current = chart;
    const onResize = () => chart.resize();
    window.addEventListener("resize", onResize);
    return () => {
      window.removeEventListener("resize", onResize);
      chart.dispose();
      chartRef.current = null;
      delete el.dataset.points;
    };
  }, []);

  useEffect(() => {
    const chart = chartRef.current;
    const el = containerRef.current;
    if (!chart || !el) return;
    if (!days) {
      chart.clear();
      delete el.dataset.points;
      return;
    }
    chart.setOption(buildOption(days, paletteFrom(el)), { notMerge: true });
    // Set outside React, right after ECharts has the data, so a browser test can wait for it.
    el.dataset.points = String(days.length);
  }, [days]);

  return (
    <div className="chart-frame" aria-busy={days === undefined}>
      <div
        ref={containerRef}
        className="chart"
        data-testid="daily-chart"
        role="img"
        aria-label={label}
      />
      {days === undefined && (
        <div className="chart-veil">
          <Loading>Loading chart…</Loading>
        </div>
      )}
    </div>
  );
}
