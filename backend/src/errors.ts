/** Stable error codes. 4xx messages name the problem; 5xx bodies stay generic (the log keeps the detail). */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Extra fields of the answer's body (e.g. the current version of a stale write). */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export const errors = {
  invalidCredentials: () => new ApiError(401, "INVALID_CREDENTIALS", "Invalid email or password"),
  unauthorized: () =>
    new ApiError(401, "UNAUTHORIZED", "Sign in first: a valid Bearer token is required"),
  forbidden: () => new ApiError(403, "FORBIDDEN", "Only an admin may do this"),
  setupDone: () => new ApiError(409, "SETUP_DONE", "An admin already exists: sign in instead"),
  badSetupToken: () =>
    new ApiError(403, "BAD_SETUP_TOKEN", "The setup token is wrong or was already used"),
  siteExists: (id: string) => new ApiError(409, "SITE_EXISTS", `Site "${id}" already exists`),
  siteNotFound: (id: string) => new ApiError(404, "SITE_NOT_FOUND", `No site "${id}"`),
  badRequest: (message: string) => new ApiError(400, "BAD_REQUEST", message),
  dashboardNotFound: (id: string) =>
    new ApiError(404, "DASHBOARD_NOT_FOUND", `No dashboard "${id}"`),
  widgetNotFound: (dashboard: string, widget: string) =>
    new ApiError(404, "WIDGET_NOT_FOUND", `No widget "${widget}" in dashboard "${dashboard}"`),
  versionNotFound: (dashboard: string, version: number, kept: number) =>
    new ApiError(
      404,
      "VERSION_NOT_FOUND",
      `No version ${version} of dashboard "${dashboard}" (the last ${kept} versions are kept)`,
    ),
  ifMatchRequired: (dashboard: string) =>
    new ApiError(
      428,
      "IF_MATCH_REQUIRED",
      `Send If-Match with the ETag of dashboard "${dashboard}" as you last read it (e.g. If-Match: "3"), so a change made meanwhile is not overwritten`,
    ),
  stale: (dashboard: string, sent: number, current: number) =>
    new ApiError(
      412,
      "STALE",
      `Dashboard "${dashboard}" changed since version ${sent}: it is at version ${current}; reload it and make the change again`,
      { version: current },
    ),
};
