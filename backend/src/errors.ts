/** Stable error codes. 4xx messages name the problem; 5xx bodies stay generic (the log keeps the detail). */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
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
};
