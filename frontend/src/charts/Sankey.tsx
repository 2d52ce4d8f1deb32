import { SankeyChart, type SankeySeriesOption } from "echarts/charts";
import { TooltipComponent, type TooltipComponentOption } from "echarts/components";
import { type ComposeOption, init, use } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

use([SankeyChart, TooltipComponent, SVGRenderer]);

type Option = ComposeOption<SankeySeriesOption | TooltipComponentOption>;

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/**
 * Paths from (or to) one page as a sankey. Each path holds the page itself, first (after it) or
 * last (before it), as the API gives it. A page can recur along a path, so each node is a page at
 * one step ("2 · /pricing"): the diagram then never loops.
 */
export function sankeyData(paths: { pages: string[]; sessions: number }[]) {
  const nodes = new Map<string, { name: string; depth: number }>();
  const links = new Map<string, { source: string; target: string; value: number }>();
  const node = (depth: number, name: string) => {
    const id = `${depth} · ${name}`;
    if (!nodes.has(id)) nodes.set(id, { name: id, depth });
    return id;
  };
  for (const p of paths) {
    const chain = p.pages;
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
  paths,
}: {
  page: string;
  direction: "after" | "before";
  paths: { pages: string[]; sessions: number }[];
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = init(el, undefined, { renderer: "svg" });
    const { nodes, links } = sankeyData(paths);
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
          label: { color: text, fontSize: 12 },
          left: 8,
          right: 140,
        },
      ],
    };
    chart.setOption(option);
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [direction, paths]);
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
