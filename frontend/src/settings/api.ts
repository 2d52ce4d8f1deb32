import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../api/client.ts";
import { queryKeys } from "../api/queries.ts";
import { setToken } from "../api/token.ts";
import type { BodyOf, ResultOf, Site, SitesResponse } from "../api/types.ts";

// The settings pages' calls: accounts, users, invitations, members, site settings, audit. Shapes
// come from the OpenAPI types; the server decides every right, these only ask.

export type AdminUser = ResultOf<"/api/v1/users", "get">["users"][number];
export type Invitation = ResultOf<"/api/v1/invitations", "get">["invitations"][number];
export type InvitationCreated = ResultOf<"/api/v1/invitations">;
export type InvitationInput = BodyOf<"/api/v1/invitations">;
export type Member = ResultOf<"/api/v1/sites/{id}/members", "get">["members"][number];
export type SiteRole = Member["role"];
export type SiteChanges = BodyOf<"/api/v1/sites/{id}", "patch">;
export type AuditPage = ResultOf<"/api/v1/audit", "get">;
export type AuditEntry = AuditPage["entries"][number];
export type ResetLink = ResultOf<"/api/v1/users/{id}/password-reset">;
export type Identity = Site["identity"];
export type Feature = Site["features"][number];

export const settingsKeys = {
  sessions: ["settings", "sessions"] as const,
  users: ["settings", "users"] as const,
  invitations: ["settings", "invitations"] as const,
  members: (site: string) => ["settings", "members", site] as const,
  audit: ["settings", "audit"] as const,
};

const enc = encodeURIComponent;

export function useSessions() {
  return useQuery({
    queryKey: settingsKeys.sessions,
    queryFn: ({ signal }) =>
      apiFetch<ResultOf<"/api/v1/auth/sessions", "get">>("/api/v1/auth/sessions", { signal }),
  });
}

export function useRevokeSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/v1/auth/sessions/${enc(id)}`, { method: "DELETE" }),
    onSettled: () => client.invalidateQueries({ queryKey: settingsKeys.sessions }),
  });
}

/** `onChanged` runs before the new token is stored, which starts a clean cache (App.tsx). */
export function useChangePassword(onChanged: () => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<"/api/v1/auth/password">) =>
      apiFetch<ResultOf<"/api/v1/auth/password">>("/api/v1/auth/password", {
        method: "POST",
        body,
      }),
    // The other sessions ended; this one goes on with the new access token.
    onSuccess: (data) => {
      onChanged();
      setToken(data.token);
      void client.invalidateQueries({ queryKey: settingsKeys.sessions });
    },
  });
}

export function useUsers() {
  return useQuery({
    queryKey: settingsKeys.users,
    queryFn: ({ signal }) =>
      apiFetch<ResultOf<"/api/v1/users", "get">>("/api/v1/users", { signal }),
  });
}

export function useInvitations() {
  return useQuery({
    queryKey: settingsKeys.invitations,
    queryFn: ({ signal }) =>
      apiFetch<ResultOf<"/api/v1/invitations", "get">>("/api/v1/invitations", { signal }),
  });
}

export function useInvite() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: InvitationInput) =>
      apiFetch<InvitationCreated>("/api/v1/invitations", { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: settingsKeys.invitations }),
  });
}

export function useWithdrawInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/v1/invitations/${enc(id)}`, { method: "DELETE" }),
    onSettled: () => client.invalidateQueries({ queryKey: settingsKeys.invitations }),
  });
}

/** Everything an instance admin does to a user; each refreshes the list (and the log). */
export function useUserAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (
      action:
        | { kind: "update"; id: string; body: BodyOf<"/api/v1/users/{id}", "patch"> }
        | { kind: "delete"; id: string }
        | { kind: "reset"; id: string }
        | { kind: "endSessions"; id: string },
    ): Promise<ResetLink | null> => {
      const path = `/api/v1/users/${enc(action.id)}`;
      if (action.kind === "update") await apiFetch(path, { method: "PATCH", body: action.body });
      else if (action.kind === "delete") await apiFetch(path, { method: "DELETE" });
      else if (action.kind === "endSessions")
        await apiFetch(`${path}/sessions`, { method: "DELETE" });
      else return apiFetch<ResetLink>(`${path}/password-reset`, { method: "POST" });
      return null;
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: settingsKeys.users });
      void client.invalidateQueries({ queryKey: settingsKeys.audit });
    },
  });
}

export function useMembers(site: string) {
  return useQuery({
    queryKey: settingsKeys.members(site),
    queryFn: ({ signal }) =>
      apiFetch<ResultOf<"/api/v1/sites/{id}/members", "get">>(
        `/api/v1/sites/${enc(site)}/members`,
        {
          signal,
        },
      ),
  });
}

export function useMemberAction(site: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (
      action:
        | { kind: "add"; email: string; role: SiteRole }
        | { kind: "set"; userId: string; role: SiteRole }
        | { kind: "remove"; userId: string },
    ) => {
      const base = `/api/v1/sites/${enc(site)}/members`;
      if (action.kind === "add")
        return apiFetch(base, { method: "POST", body: { email: action.email, role: action.role } });
      if (action.kind === "set")
        return apiFetch(`${base}/${enc(action.userId)}`, {
          method: "PUT",
          body: { role: action.role },
        });
      return apiFetch(`${base}/${enc(action.userId)}`, { method: "DELETE" });
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: settingsKeys.members(site) });
      void client.invalidateQueries({ queryKey: settingsKeys.users });
      // The caller's own role may have changed.
      void client.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}

export function useUpdateSite(site: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SiteChanges) =>
      apiFetch<Site>(`/api/v1/sites/${enc(site)}`, { method: "PATCH", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.sites }),
  });
}

/** `onDeleted` runs first: the page that showed the site has nothing left to show. */
export function useDeleteSite(site: string, onDeleted: () => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (confirm: string) =>
      apiFetch<unknown>(`/api/v1/sites/${enc(site)}`, { method: "DELETE", body: { confirm } }),
    onSuccess: async () => {
      // Gone from the lists at once, before the refetch confirms it.
      client.setQueryData<SitesResponse>(queryKeys.sites, (old) =>
        old ? { sites: old.sites.filter((s) => s.id !== site) } : old,
      );
      onDeleted();
      await client.invalidateQueries({ queryKey: queryKeys.sites });
      await client.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}

export function useAudit(before: string | null) {
  return useQuery({
    queryKey: [...settingsKeys.audit, before],
    queryFn: ({ signal }) => {
      const query = new URLSearchParams({ limit: "50" });
      if (before) query.set("before", before);
      return apiFetch<AuditPage>(`/api/v1/audit?${query}`, { signal });
    },
    staleTime: 0,
  });
}
