/** Stable error codes. 4xx messages name the problem; 5xx bodies stay generic (the log keeps the detail). */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Extra fields of the answer's body (e.g. the current version of a stale write). */
    readonly details?: Readonly<Record<string, unknown>>,
    /** Extra headers of the answer (Retry-After). */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

export const errors = {
  invalidCredentials: () => new ApiError(401, "INVALID_CREDENTIALS", "Invalid email or password"),
  unauthorized: () =>
    new ApiError(401, "UNAUTHORIZED", "Sign in first: a valid Bearer token is required"),
  /** The access token ran out: POST /auth/refresh gets a new one. */
  tokenExpired: () =>
    new ApiError(
      401,
      "TOKEN_EXPIRED",
      "The access token has expired: get a new one from POST /api/v1/auth/refresh",
    ),
  /** Signed out, revoked, disabled, or the password changed since the token was issued. */
  sessionEnded: () => new ApiError(401, "SESSION_ENDED", "This session has ended: sign in again"),
  /** Unknown, revoked, or its user disabled or deleted: one answer for all. */
  apiTokenInvalid: () =>
    new ApiError(
      401,
      "API_TOKEN_INVALID",
      "This API token is not valid: it may have been revoked, or its user disabled",
    ),
  apiTokenExpired: (at: string) =>
    new ApiError(
      401,
      "API_TOKEN_EXPIRED",
      `This API token expired at ${at}: create a new one in Settings → API tokens`,
    ),
  apiTokenNotFound: (id: string) =>
    new ApiError(404, "API_TOKEN_NOT_FOUND", `No API token "${id}" of yours`),
  /** Unknown and revoked share links: one answer for both. */
  shareInvalid: () =>
    new ApiError(
      404,
      "SHARE_INVALID",
      "This share link is not valid: it may have been revoked; ask whoever shared it for a new one",
    ),
  shareExpired: (at: string) =>
    new ApiError(
      410,
      "SHARE_EXPIRED",
      `This share link expired at ${at}; ask whoever shared it for a new one`,
    ),
  /** A viewer's access after the link was revoked. */
  shareEnded: () =>
    new ApiError(401, "SHARE_ENDED", "This share link was revoked: ask for a new one"),
  sharePasswordRequired: () =>
    new ApiError(401, "SHARE_PASSWORD_REQUIRED", "body/password: this share link needs a password"),
  sharePasswordWrong: () =>
    new ApiError(401, "SHARE_PASSWORD_WRONG", "body/password: this is not the link's password"),
  shareNotFound: (id: string) => new ApiError(404, "SHARE_NOT_FOUND", `No share link "${id}"`),
  /** A shared view asked for something its dashboard does not draw. */
  notShared: (what: string) =>
    new ApiError(403, "NOT_SHARED", `This share link does not show ${what}`),
  refreshInvalid: () =>
    new ApiError(401, "REFRESH_INVALID", "The refresh token is not valid: sign in again"),
  refreshReused: () =>
    new ApiError(
      401,
      "REFRESH_REUSED",
      "This refresh token was already used, so the session was ended for safety: sign in again",
    ),
  /** An action of the instance (users, audit log, new sites) asked for by someone else. */
  instanceOnly: (what: string) =>
    new ApiError(403, "FORBIDDEN", `Only an instance admin may ${what}`),
  /** A site action the principal's role on that site does not allow. */
  siteForbidden: (site: string, what: string, roles: readonly string[]) =>
    new ApiError(
      403,
      "FORBIDDEN",
      `You may not ${what} on site "${site}": that needs the role ${roles.map((r) => `"${r}"`).join(" or ")} there`,
    ),
  /** A site action the principal has on no site at all. */
  noSiteRole: (what: string, roles: readonly string[]) =>
    new ApiError(
      403,
      "FORBIDDEN",
      `You may not ${what}: that needs the role ${roles.map((r) => `"${r}"`).join(" or ")} on a site`,
    ),
  forbidden: (message: string) => new ApiError(403, "FORBIDDEN", message),
  tooManyAttempts: (seconds: number) =>
    new ApiError(
      429,
      "TOO_MANY_ATTEMPTS",
      `Too many sign-in attempts: try again in ${seconds} second${seconds === 1 ? "" : "s"}`,
      undefined,
      { "retry-after": String(seconds) },
    ),
  /** The bounded queue of password hashes is full (src/auth/password.ts). */
  hashingBusy: () =>
    new ApiError(
      503,
      "BUSY",
      "The server is busy checking passwords: try again in a few seconds",
      undefined,
      { "retry-after": "2" },
    ),
  weakPassword: (at: string, why: string) => new ApiError(400, "WEAK_PASSWORD", `${at}: ${why}`),
  wrongPassword: () =>
    new ApiError(400, "WRONG_PASSWORD", "body/currentPassword: this is not your current password"),
  /** One message for unknown, used and revoked links: none of them says anything more. */
  linkInvalid: (what: "invitation" | "reset") =>
    new ApiError(
      404,
      "LINK_INVALID",
      `This ${what === "invitation" ? "invitation" : "password reset"} link is not valid: it may have been used or withdrawn; ask an admin for a new one`,
    ),
  linkExpired: (what: "invitation" | "reset", at: string) =>
    new ApiError(
      410,
      "LINK_EXPIRED",
      `This ${what === "invitation" ? "invitation" : "password reset"} link expired at ${at}; ask an admin for a new one`,
    ),
  oidcDisabled: () =>
    new ApiError(
      404,
      "OIDC_DISABLED",
      "Sign-in with an OpenID provider is not enabled (auth.oidc)",
    ),
  /** The callback came without the sign-in attempt this browser started (or it ran out). */
  oidcNoAttempt: () =>
    new ApiError(
      400,
      "OIDC_STATE",
      "No sign-in attempt of this browser is waiting (it ran out after 10 minutes, or started elsewhere): start again from the sign-in page",
    ),
  oidcStateMismatch: () =>
    new ApiError(
      400,
      "OIDC_STATE",
      "The state in the provider's answer is not the one this sign-in attempt sent: start again from the sign-in page",
    ),
  /** The provider refused the sign-in (error=… in the callback). */
  oidcDenied: (error: string, description: string) =>
    new ApiError(
      401,
      "OIDC_DENIED",
      `The provider refused the sign-in: ${error}${description ? ` (${description})` : ""}`,
    ),
  oidcCodeInvalid: (description: string) =>
    new ApiError(
      401,
      "OIDC_CODE_INVALID",
      `The provider did not accept the authorization code: it expired or was already used${description ? ` (${description})` : ""}; start again from the sign-in page`,
    ),
  /** The token answer or ID token failed a check (signature, issuer, audience, nonce…). */
  oidcInvalidResponse: (why: string) =>
    new ApiError(401, "OIDC_INVALID_RESPONSE", `The provider's answer failed a check: ${why}`),
  oidcUnmapped: (why: string) => new ApiError(403, "OIDC_UNMAPPED", why),
  oidcNoAccount: (email: string) =>
    new ApiError(
      403,
      "OIDC_NO_ACCOUNT",
      `${email} has no Sightline account, and auth.oidc.createUsers is false: ask an admin for an invitation`,
    ),
  /** Discovery or the token endpoint could not be reached. */
  oidcUnavailable: () =>
    new ApiError(
      502,
      "OIDC_UNAVAILABLE",
      "The OpenID provider could not be reached: try again later",
    ),
  accountDisabled: () =>
    new ApiError(403, "ACCOUNT_DISABLED", "This account is disabled: ask an admin to enable it"),
  userExists: (email: string) =>
    new ApiError(
      409,
      "USER_EXISTS",
      `${email} already has an account: give them a role with POST /api/v1/sites/{id}/members`,
    ),
  userNotFound: (who: string) => new ApiError(404, "USER_NOT_FOUND", `No user ${who}`),
  invitationNotFound: (id: string) =>
    new ApiError(404, "INVITATION_NOT_FOUND", `No pending invitation "${id}"`),
  sessionNotFound: (id: string) =>
    new ApiError(404, "SESSION_NOT_FOUND", `No session "${id}" of yours`),
  lastAdmin: () =>
    new ApiError(
      409,
      "LAST_ADMIN",
      "This is the last enabled instance admin: make someone else an instance admin first",
    ),
  confirmMismatch: (id: string) =>
    new ApiError(
      400,
      "CONFIRMATION_MISMATCH",
      `body/confirm: type the site's id ("${id}") to confirm that it and all its data are deleted`,
    ),
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
