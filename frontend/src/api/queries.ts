import { skipToken, useMutation, useQuery } from "@tanstack/react-query";
import { apiFetch } from "./client.ts";
import { setToken } from "./token.ts";
import type {
  AuthMethods,
  AuthResponse,
  AuthStatus,
  SiteStatus,
  SitesResponse,
  User,
} from "./types.ts";

export interface LoginInput {
  email: string;
  password: string;
}

export interface SetupInput extends LoginInput {
  token: string;
}

export const queryKeys = {
  authStatus: ["auth", "status"] as const,
  authMethods: ["auth", "methods"] as const,
  me: ["me"] as const,
  sites: ["sites"] as const,
  status: (site: string) => ["sites", site, "status"] as const,
};

export function useAuthStatus() {
  return useQuery({
    queryKey: queryKeys.authStatus,
    queryFn: ({ signal }) => apiFetch<AuthStatus>("/api/v1/auth/status", { auth: false, signal }),
  });
}

/** Password, and the OpenID provider's button when the server has one. */
export function useAuthMethods() {
  return useQuery({
    queryKey: queryKeys.authMethods,
    queryFn: ({ signal }) => apiFetch<AuthMethods>("/api/v1/auth/methods", { auth: false, signal }),
    staleTime: Number.POSITIVE_INFINITY,
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

/**
 * When a site's data starts and whether events arrive. `poll` (ms) keeps asking, for the page that
 * waits for a new site's first event.
 */
export function useSiteStatus(site: string | null, poll?: number) {
  return useQuery({
    queryKey: site ? queryKeys.status(site) : ["sites", null, "status"],
    queryFn: site
      ? ({ signal }) =>
          apiFetch<SiteStatus>(`/api/v1/sites/${encodeURIComponent(site)}/status`, { signal })
      : skipToken,
    refetchInterval: poll,
    staleTime: 30_000,
  });
}
