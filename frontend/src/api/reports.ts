import { keepPreviousData, skipToken, useQuery } from "@tanstack/react-query";
import { apiFetch } from "./client.ts";
import type { QueryResult, QuerySpec } from "./types.ts";

/** The columns of a spec's rows: an answer with other columns cannot stand in for it. */
const columnsOf = (spec: unknown) => {
  const s = spec as Partial<QuerySpec> | null | undefined;
  return JSON.stringify([s?.dimensions ?? [], s?.metrics ?? []]);
};

/**
 * One query API call. While a new answer loads, the last one stays (`isPlaceholderData`), so a
 * changed range dims the old numbers instead of blanking them; not when the columns differ (another
 * tab of a panel), whose rows would read as this one's. Pass null to wait.
 */
export function useQueryApi(spec: QuerySpec | null, options: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: ["query", spec],
    queryFn: spec
      ? ({ signal }) =>
          apiFetch<QueryResult>("/api/v1/query", { method: "POST", body: spec, signal })
      : skipToken,
    placeholderData: (previous, previousQuery) =>
      previousQuery && columnsOf(previousQuery.queryKey[1]) === columnsOf(spec)
        ? previous
        : undefined,
    refetchInterval: options.refetchInterval,
  });
}

/** One standard report (`POST /api/v1/reports/<name>`). */
export function useReport<T>(
  name: string,
  body: object | null,
  options: { refetchInterval?: number } = {},
) {
  return useQuery({
    queryKey: ["report", name, body],
    queryFn: body
      ? ({ signal }) => apiFetch<T>(`/api/v1/reports/${name}`, { method: "POST", body, signal })
      : skipToken,
    placeholderData: keepPreviousData,
    refetchInterval: options.refetchInterval,
  });
}

/** Downloads a query's rows as CSV through the export route. */
export async function downloadCsv(spec: QuerySpec, fileName: string): Promise<void> {
  const { getToken } = await import("./token.ts");
  const token = getToken();
  const res = await fetch("/api/v1/query/export?format=csv", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(spec),
  });
  if (!res.ok) throw new Error(`The export failed (${res.status}).`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
