import type { QueryResult } from "../api/types.ts";
import WorldMap from "../charts/WorldMap.tsx";
import { num } from "./format.ts";

/** Countries shaded by the first metric: the dashboard's own map. */
export default function MapVisual({ result }: { result: QueryResult }) {
  const metric = result.columns.find((c) => c.kind === "metric")?.name ?? "visitors";
  return (
    <WorldMap
      values={result.rows.map((r) => ({
        code: String(r.country ?? ""),
        value: num(r[metric]) ?? 0,
      }))}
      label={metric}
    />
  );
}
