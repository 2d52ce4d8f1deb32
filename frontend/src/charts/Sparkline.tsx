import { useWidth } from "./useWidth.ts";

/** A tiny trend line for a headline card: no axes, the shape only. */
export function Sparkline({
  values,
  height = 28,
}: {
  values: readonly (number | null)[];
  height?: number;
}) {
  const [ref, width] = useWidth<HTMLDivElement>(120);
  const nums = values.map((v) => v ?? 0);
  const max = Math.max(...nums, 0) || 1;
  const step = nums.length > 1 ? width / (nums.length - 1) : 0;
  const d = nums
    .map(
      (v, i) =>
        `${i ? "L" : "M"}${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`,
    )
    .join("");
  return (
    <div className="sparkline" ref={ref} aria-hidden="true">
      <svg width={width} height={height} aria-hidden="true">
        {nums.length > 1 && <path className="line-spark" d={d} />}
      </svg>
    </div>
  );
}
