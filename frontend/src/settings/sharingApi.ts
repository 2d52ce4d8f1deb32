import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../api/client.ts";
import type {
  ApiToken,
  NewApiToken,
  NewShareLink,
  ShareCreated,
  ShareLink,
  TokenCreated,
} from "../api/types.ts";

// API tokens and share links: the calls of the two settings pages.

const TOKENS = ["tokens"] as const;
const SHARES = ["shares"] as const;

export function useTokens() {
  return useQuery({
    queryKey: TOKENS,
    queryFn: ({ signal }) => apiFetch<{ tokens: ApiToken[] }>("/api/v1/tokens", { signal }),
  });
}

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewApiToken) =>
      apiFetch<TokenCreated>("/api/v1/tokens", { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: TOKENS }),
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<unknown>(`/api/v1/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: TOKENS }),
  });
}

export function useShares() {
  return useQuery({
    queryKey: SHARES,
    queryFn: ({ signal }) => apiFetch<{ shares: ShareLink[] }>("/api/v1/shares", { signal }),
  });
}

export function useCreateShare() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewShareLink) =>
      apiFetch<ShareCreated>("/api/v1/shares", { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: SHARES }),
  });
}

export function useRevokeShare() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<unknown>(`/api/v1/shares/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: SHARES }),
  });
}

/** "3 May 2026, 14:05" in the viewer's zone; "never" for null. */
export function when(at: string | null): string {
  if (!at) return "never";
  return new Date(at).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}
