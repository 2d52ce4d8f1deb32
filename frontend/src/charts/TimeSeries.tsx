import { type PointerEvent, useId, useMemo, useState } from "react";
import type { Granularity } from "../state/periods.ts";
import { useWidth } from "./useWidth.ts";

// The time-series chart, drawn as SVG by hand: the dashboard's first screen must stay small
// (ECharts' core alone is about 100 KB gzip), and SVG follows the theme's CSS variables, prints,
// and is readable by tests without a canvas. ECharts draws the rest (maps, sankeys) on demand.

export interface TimeSeriesProps {
  /** Bucket labels as the query API gives them. */
  labels: readonly string[];
  values: readonly (number | null)[];
  /** The comparison period's values, bucket by bucket (its labels in `comparisonLabels`). */
  comparison?: readonly (number | null)[];
  comparisonLabels?: readonly string[];
  granularity: Granularity;
  format: (n: number) => string;
  /** The last bucket has only partly happened: drawn dashed, not as a drop. */
  partialLast?: boolean;
  /** Short text for screen readers: what the chart shows. */
  label: string;
  height?: number;
  /** Names of the two lines for the tooltip. */
  seriesName?: string;
  comparisonName?: string;
  /** Whole numbers only (counts): the axis never shows 0.5. */
  integer?: boolean;
  /** More lines beside the main one (a breakdown over time), each in its own colour. */
  series?: readonly { name: string; values: readonly (number | null)[]; color?: string }[];
  /** Shade the area under the main line (on by default). */
  fill?: boolean;
  /** The main line's colour (default: the theme's chart colour). */
  color?: string;
}

const PAD = { top: 12, right: 12, bottom: 28, left: 48 };

/** Rounded tick step: 1, 2 or 5 times a power of ten (at least 1 for whole numbers). */
export function niceTicks(max: number, count = 4, integer = false): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = integer ? Math.max(1, max / count) : max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A bucket label as people read it on the axis ("14:00", "3 Dec", "Dec 2026"). */
export function bucketText(label: string, granularity: Granularity, long = false): string {
  const day = Number(label.slice(8, 10));
  const month = MONTHS[Number(label.slice(5, 7)) - 1] ?? "";
  switch (granularity) {
    case "minute":
    case "hour":
      return long ? `${day} ${month}, ${label.slice(11, 16)}` : label.slice(11, 16);
    case "day":
      return long ? `${day} ${month} ${label.slice(0, 4)}` : `${day} ${month}`;
    case "week":
      return long ? `Week of ${day} ${month} ${label.slice(0, 4)}` : `${day} ${month}`;
    case "month":
      return `${month} ${label.slice(0, 4)}`;
  }
}

function pathOf(points: readonly ([number, number] | null)[]): string {
  let d = "";
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${p[0].toFixed(1)},${p[1].toFixed(1)}`;
    pen = true;
  }
  return d;
}

export function TimeSeries({
  labels,
  values,
  comparison,
  comparisonLabels,
  granularity,
  format,
  partialLast = false,
  label,
  height = 280,
  seriesName = "This period",
  comparisonName = "Comparison",
  integer = false,
  series = [],
  fill = true,
  color,
}: TimeSeriesProps) {
  const [ref, width] = useWidth<HTMLDivElement>(720);
  const [hover, setHover] = useState<number | null>(null);
  const gradient = useId();
  const n = labels.length;
  const max = Math.max(
    0,
    ...values.map((v) => v ?? 0),
    ...(comparison ?? []).map((v) => v ?? 0),
    ...series.flatMap((extra) => extra.values.map((v) => v ?? 0)),
  );
  const ticks = useMemo(() => niceTicks(max, 4, integer), [max, integer]);
  const top = ticks[ticks.length - 1] || 1;
  const innerW = Math.max(10, width - PAD.left - PAD.right);
  const innerH = height - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (n <= 1 ? innerW / 2 : (i / (n - 1)) * innerW);
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const pts = values.map((v, i): [number, number] | null => (v === null ? null : [x(i), y(v)]));
  const solid = partialLast && n > 1 ? pts.slice(0, -1) : pts;
  const tail = partialLast && n > 1 ? pts.slice(-2) : [];
  const comparePts = (comparison ?? [])
    .slice(0, n)
    .map((v, i): [number, number] | null => (v === null ? null : [x(i), y(v)]));
  const area =
    fill && solid.length > 1 && solid.every(Boolean)
      ? `${pathOf(solid)}L${x(solid.length - 1).toFixed(1)},${y(0)}L${x(0).toFixed(1)},${y(0)}Z`
      : "";
  const every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(innerW / 90))));

  const onMove = (event: PointerEvent<SVGRectElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const rel = (event.clientX - box.left) / Math.max(1, box.width);
    setHover(Math.min(n - 1, Math.max(0, Math.round(rel * (n - 1)))));
  };

  const hv = hover === null ? undefined : values[hover];
  const hc = hover === null ? undefined : comparison?.[hover];
  return (
    <div className="timeseries" ref={ref}>
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={label}
        data-testid="timeseries"
        data-points={n}
      >
        <defs>
          <linearGradient id={gradient} x1="0" x2="0" y1="0" y2="1">
            <stop offset="0%" stopColor="var(--chart-line)" stopOpacity="0.22" />
            <stop offset="100%" stopColor="var(--chart-line)" stopOpacity="0" />
          </linearGradient>
        </defs>
        {ticks.map((t) => (
          <g key={t}>
            <line className="grid-line" x1={PAD.left} x2={PAD.left + innerW} y1={y(t)} y2={y(t)} />
            <text className="axis-text" x={PAD.left - 8} y={y(t) + 4} textAnchor="end">
              {format(t)}
            </text>
          </g>
        ))}
        {labels.map((l, i) => {
          if (i % every !== 0) return null;
          // Labels at the edges lean inwards instead of being cut off.
          const at = x(i);
          const anchor = at > width - 40 ? "end" : at < PAD.left + 20 ? "start" : "middle";
          return (
            <text key={l} className="axis-text" x={at} y={height - 8} textAnchor={anchor}>
              {bucketText(l, granularity)}
            </text>
          );
        })}
        {area && <path d={area} fill={`url(#${gradient})`} />}
        {comparePts.length > 0 && (
          <path className="line-compare" d={pathOf(comparePts)} data-testid="comparison-line" />
        )}
        {series.map((extra, k) => (
          <path
            key={extra.name}
            className="line-extra"
            style={{ stroke: extra.color ?? `var(--series-${(k + 1) % 8})` }}
            d={pathOf(extra.values.slice(0, n).map((v, i) => (v === null ? null : [x(i), y(v)])))}
          />
        ))}
        <path
          className="line-main"
          style={color ? { stroke: color } : undefined}
          d={pathOf(solid)}
        />
        {tail.length === 2 && (
          <path className="line-main line-partial" d={pathOf(tail)} data-testid="partial-bucket" />
        )}
        {n === 1 && pts[0] && <circle className="dot-main" cx={pts[0][0]} cy={pts[0][1]} r={4} />}
        {hover !== null && (
          <g>
            <line
              className="hover-rule"
              x1={x(hover)}
              x2={x(hover)}
              y1={PAD.top}
              y2={PAD.top + innerH}
            />
            {hv !== null && hv !== undefined && (
              <circle className="dot-main" cx={x(hover)} cy={y(hv)} r={4} />
            )}
            {hc !== null && hc !== undefined && (
              <circle className="dot-compare" cx={x(hover)} cy={y(hc)} r={3.5} />
            )}
          </g>
        )}
        <rect
          x={PAD.left}
          y={PAD.top}
          width={innerW}
          height={innerH}
          fill="transparent"
          onPointerMove={onMove}
          onPointerLeave={() => setHover(null)}
        />
      </svg>
      {hover !== null && (
        <div
          className="chart-tooltip"
          role="status"
          style={{
            left: Math.min(x(hover) + 12, width - 200),
            top: PAD.top,
          }}
        >
          <strong>
            {bucketText(labels[hover] ?? "", granularity, true)}
            {partialLast && hover === n - 1 ? " (so far)" : ""}
          </strong>
          <span className="tooltip-row">
            <i className="swatch swatch-main" /> {seriesName}:{" "}
            {hv === null || hv === undefined ? "—" : format(hv)}
          </span>
          {series.map((extra, k) => {
            const v = extra.values[hover];
            return (
              <span key={extra.name} className="tooltip-row">
                <i
                  className="swatch"
                  style={{ background: extra.color ?? `var(--series-${(k + 1) % 8})` }}
                />{" "}
                {extra.name}: {v === null || v === undefined ? "—" : format(v)}
              </span>
            );
          })}
          {comparison && (
            <span className="tooltip-row">
              <i className="swatch swatch-compare" /> {comparisonName}
              {comparisonLabels?.[hover]
                ? ` (${bucketText(comparisonLabels[hover] ?? "", granularity, true)})`
                : ""}
              : {hc === null || hc === undefined ? "—" : format(hc)}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
