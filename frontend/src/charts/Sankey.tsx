import { SankeyChart, type SankeySeriesOption } from "echarts/charts";
import { TooltipComponent, type TooltipComponentOption } from "echarts/components";
import { type ComposeOption, init, use } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";
import { followSize } from "./followSize.ts";
import { journeyChain } from "./journey.ts";

use([SankeyChart, TooltipComponent, SVGRenderer]);

type Option = ComposeOption<SankeySeriesOption | TooltipComponentOption>;

/** Paths drawn; the list beside a sankey holds every path the report returned. */
const SANKEY_PATHS = 12;

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/**
 * Paths from (or to) one page as a sankey (ends made explicit by `journeyChain`). A page can
 * recur along a path, so each node is a page at one step ("2 · /pricing"): it never loops.
 */
export function sankeyData(
  direction: "after" | "before",
  steps: number,
  paths: { pages: string[]; sessions: number }[],
) {
  const nodes = new Map<string, { name: string; depth: number }>();
  const links = new Map<string, { source: string; target: string; value: number }>();
  const node = (depth: number, name: string) => {
    const id = `${depth} · ${name}`;
    if (!nodes.has(id)) nodes.set(id, { name: id, depth });
    return id;
  };
  for (const p of paths) {
    const chain = journeyChain(p.pages, direction, steps);
    for (let i = 0; i + 1 < chain.length; i++) {
      const source = node(i, chain[i] ?? "");
      const target = node(i + 1, chain[i + 1] ?? "");
      const key = `${source}→${target}`;
      const link = links.get(key) ?? { source, target, value: 0 };
      link.value += p.sessions;
      links.set(key, link);
    }
  }
  return { nodes: [...nodes.values()], links: [...links.values()] };
}

export default function Sankey({
  page,
  direction,
  steps,
  paths,
}: {
  page: string;
  direction: "after" | "before";
  steps: number;
  paths: { pages: string[]; sessions: number }[];
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = init(el, undefined, { renderer: "svg" });
    // The most travelled paths only: a sankey of dozens of thin paths is unreadable.
    const top = [...paths].sort((a, b) => b.sessions - a.sessions).slice(0, SANKEY_PATHS);
    const { nodes, links } = sankeyData(direction, steps, top);
    const text = cssVar("--text", "#111827");
    const option: Option = {
      tooltip: { trigger: "item" },
      series: [
        {
          type: "sankey",
          data: nodes,
          links,
          nodeAlign: direction === "after" ? "left" : "right",
          emphasis: { focus: "adjacency" },
          lineStyle: { color: "gradient", opacity: 0.35 },
          itemStyle: { color: cssVar("--accent", "#4f46e5"), borderWidth: 0 },
          label: {
            color: text,
            fontSize: 12,
            // Nodes are "<step> · <page>" so a page can recur; the step is the column already.
            formatter: (p: { name: string }) => p.name.replace(/^\d+ · /, ""),
          },
          nodeGap: 10,
          left: 8,
          right: 140,
        },
      ],
    };
    chart.setOption(option);
    const resize = followSize(el, chart);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [direction, steps, paths]);
  return (
    <div
      ref={ref}
      className="sankey"
      role="img"
      aria-label={`Paths ${direction} ${page}`}
      data-testid="sankey"
    />
  );
}
