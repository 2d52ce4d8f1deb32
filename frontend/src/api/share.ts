// A share link's viewer has no session: the read-only token from POST /api/v1/shared/open, kept
// in memory for this page only. While it is set, the report and query calls of the dashboard's
// components go to the share link's own routes (/api/v1/shared/...) with that token.

let access: string | null = null;

export function setShareAccess(token: string | null): void {
  access = token;
}

export function getShareAccess(): string | null {
  return access;
}

/** The shared route that answers `path` for a share link's viewer (the server checks the rest). */
export function sharedPath(path: string): string {
  if (path === "/api/v1/query") return "/api/v1/shared/query";
  if (path.startsWith("/api/v1/reports/")) return `/api/v1/shared/${path.slice("/api/v1/".length)}`;
  return path;
}
