// One-time links (an invitation, a password reset) carry their token after `#`, so it never
// reaches a server or its logs: backend/src/routes/users.ts makes them.

export const INVITATION_PATH = "/invitation";
export const RESET_PATH = "/password-reset";

export type LinkKind = "invitation" | "reset";

export function linkKind(pathname: string): LinkKind | null {
  if (pathname === INVITATION_PATH) return "invitation";
  if (pathname === RESET_PATH) return "reset";
  return null;
}

/** The `token` of a `#token=…` fragment, or "". */
export function readLinkToken(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, "")).get("token")?.trim() ?? "";
}
