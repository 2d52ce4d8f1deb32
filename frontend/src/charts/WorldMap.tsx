import { MapChart, type MapSeriesOption } from "echarts/charts";
import {
  TooltipComponent,
  type TooltipComponentOption,
  VisualMapComponent,
  type VisualMapComponentOption,
} from "echarts/components";
import { type ComposeOption, init, registerMap, use } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import type { Feature, FeatureCollection } from "geojson";
import { numericToAlpha2 } from "i18n-iso-countries";
import { useEffect, useRef } from "react";
import { feature } from "topojson-client";
import world from "world-atlas/countries-110m.json";
import { countryName } from "../state/dimensions.ts";
import { followSize } from "./followSize.ts";

// Country shapes: world-atlas (Natural Earth 1:110m, public domain; the package is ISC), turned
// into GeoJSON by topojson-client (ISC). Features are renamed to ISO 3166-1 alpha-2 codes, the
// codes the collector stores, with i18n-iso-countries (MIT).
use([MapChart, TooltipComponent, VisualMapComponent, SVGRenderer]);

type MapOption = ComposeOption<MapSeriesOption | TooltipComponentOption | VisualMapComponentOption>;

let registered = false;
function registerWorld(): void {
  if (registered) return;
  type Topo = Parameters<typeof feature>[0];
  const topology = world as unknown as Topo & {
    objects: { countries: Parameters<typeof feature>[1] };
  };
  const shapes = feature(topology, topology.objects.countries) as unknown as FeatureCollection;
  const features = shapes.features
    .filter((f: Feature) => f.id !== undefined && numericToAlpha2(String(f.id)))
    .map((f: Feature) => ({ ...f, properties: { name: numericToAlpha2(String(f.id)) } }));
  registerMap("world", { type: "FeatureCollection", features } as never);
  registered = true;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export interface WorldMapProps {
  values: { code: string; value: number }[];
  label: string;
  onPick?: (code: string) => void;
}

/** Countries shaded by a value; a click on a country picks it. */
export default function WorldMap({ values, label, onPick }: WorldMapProps) {
  const ref = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  // Callers pass a new array on every render: the chart is built again only when the data differ.
  const data = useRef(values);
  data.current = values;
  const key = JSON.stringify(values);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `values`
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const values = data.current;
    registerWorld();
    const chart = init(el, undefined, { renderer: "svg" });
    const max = Math.max(1, ...values.map((v) => v.value));
    const option: MapOption = {
      tooltip: {
        trigger: "item",
        formatter: (p) => {
          const item = p as { name: string; value?: number };
          const n = Number.isFinite(item.value) ? (item.value as number) : 0;
          return `${countryName(item.name)}: ${n.toLocaleString("en")} ${label.toLowerCase()}`;
        },
      },
      visualMap: {
        show: false,
        min: 0,
        max,
        inRange: { color: [cssVar("--map-low", "#c7d2fe"), cssVar("--map-high", "#3730a3")] },
      },
      series: [
        {
          type: "map",
          map: "world",
          roam: false,
          aspectScale: 0.85,
          itemStyle: {
            areaColor: cssVar("--map-empty", "#e5e7eb"),
            borderColor: cssVar("--surface", "#ffffff"),
            borderWidth: 0.5,
          },
          emphasis: {
            label: { show: false },
            itemStyle: { areaColor: cssVar("--accent", "#4f46e5") },
          },
          select: { disabled: true },
          data: values.map((v) => ({ name: v.code, value: v.value })),
        },
      ],
    };
    chart.setOption(option);
    chart.on("click", (p) => {
      const name = (p as { name?: string }).name;
      if (name) pick.current?.(name);
    });
    const resize = followSize(el, chart);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [key, label]);

  return (
    <div
      ref={ref}
      className="world-map"
      role="img"
      aria-label={`World map of ${label.toLowerCase()} by country`}
      data-testid="world-map"
      data-countries={values.length}
    />
  );
}
