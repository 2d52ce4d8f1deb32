import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../api/client.ts";

/**
 * The query vocabulary from `GET /api/v1/query/meta`: the builder offers exactly what the query
 * API accepts, and never hard-codes a metric or a dimension.
 */
export interface QueryMeta {
  metrics: {
    name: string;
    label: string;
    kind: string;
    needs?: ("goal" | "property" | "q")[];
    session: boolean;
  }[];
  dimensions: { name: string; label: string; session: boolean }[];
  propertyDimension: string;
  filterOps: string[];
  granularities: { name: string; maxDays: number }[];
  maxDays: number;
  compare: string[];
  limits: { metrics: number; dimensions: number; filters: number; limit: number };
}

export function useQueryMeta() {
  return useQuery({
    queryKey: ["query", "meta"],
    queryFn: ({ signal }) => apiFetch<QueryMeta>("/api/v1/query/meta", { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
