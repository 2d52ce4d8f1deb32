import { skipToken, useMutation, useQuery } from "@tanstack/react-query";
import { apiFetch } from "./client.ts";
import { setToken } from "./token.ts";
import type { AuthResponse, AuthStatus, DailyStats, SitesResponse, User } from "./types.ts";

export interface DailyStatsParams {
  site: string;
  from: string;
  to: string;
  tz: string;
}

export interface LoginInput {
  email: string;
  password: string;
}

export interface SetupInput extends LoginInput {
  token: string;
}

export const queryKeys = {
  authStatus: ["auth", "status"] as const,
  me: ["me"] as const,
  sites: ["sites"] as const,
  daily: (p: DailyStatsParams) => ["stats", "daily", p.site, p.from, p.to, p.tz] as const,
};

export function useAuthStatus() {
  return useQuery({
    queryKey: queryKeys.authStatus,
    queryFn: ({ signal }) => apiFetch<AuthStatus>("/api/v1/auth/status", { auth: false, signal }),
  });
}

export function useLogin() {
  return useMutation({
    mutationFn: (input: LoginInput) =>
      apiFetch<AuthResponse>("/api/v1/auth/login", { method: "POST", body: input, auth: false }),
    onSuccess: (data) => setToken(data.token),
  });
}

export function useSetup() {
  return useMutation({
    mutationFn: (input: SetupInput) =>
      apiFetch<AuthResponse>("/api/v1/auth/setup", { method: "POST", body: input, auth: false }),
    onSuccess: (data) => setToken(data.token),
  });
}

export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => apiFetch<User>("/api/v1/me", { signal }),
  });
}

export function useSites() {
  return useQuery({
    queryKey: queryKeys.sites,
    queryFn: ({ signal }) => apiFetch<SitesResponse>("/api/v1/sites", { signal }),
  });
}

/** Daily totals for one site; pass null while the selection is incomplete or invalid. */
export function useDailyStats(params: DailyStatsParams | null) {
  return useQuery({
    queryKey: params ? queryKeys.daily(params) : ["stats", "daily", null],
    queryFn: params
      ? ({ signal }) => {
          const search = new URLSearchParams({ ...params });
          return apiFetch<DailyStats>(`/api/v1/stats/daily?${search}`, { signal });
        }
      : skipToken,
  });
}
