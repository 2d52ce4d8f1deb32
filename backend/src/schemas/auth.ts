import { type Static, Type } from "typebox";
import { SITE_ROLES } from "../auth/permissions.ts";

export const Email = Type.String({ format: "email", maxLength: 254 });
/** Length here; strength (src/auth/policy.ts) in the route, with a message that says why. */
export const NewPassword = Type.String({
  minLength: 12,
  maxLength: 1024,
  description:
    "at least 12 characters and not easy to guess: common passwords, words and names, keyboard patterns, repeats, sequences, dates and your own email are refused",
});
/** A one-time token from a link: never logged, never in a message. */
const LinkToken = Type.String({ minLength: 1, maxLength: 200 });

export const SiteRole = Type.Enum([...SITE_ROLES], {
  description: "owner, admin, editor or viewer (src/auth/permissions.ts)",
});

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const SetupBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }), email: Email, password: NewPassword },
  { additionalProperties: false },
);
export type SetupBody = Static<typeof SetupBody>;

export const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.Enum(["admin", "member"], {
    description: "admin: an instance admin, who may do everything; member: see `sites`",
  }),
  instanceAdmin: Type.Boolean(),
  sites: Type.Record(Type.String(), SiteRole, { description: "role by site id" }),
});
export type UserView = Static<typeof UserView>;

export const SessionView = Type.Object({
  token: Type.String({ description: "the access token (JWT) for `Authorization: Bearer`" }),
  expiresIn: Type.Integer({ description: "seconds until the access token expires" }),
  refreshToken: Type.String({
    description:
      "for POST /auth/refresh; browsers also get it as an HttpOnly cookie and need not keep it",
  }),
  user: UserView,
});
export type SessionView = Static<typeof SessionView>;

export const AccessTokenView = Type.Object({
  token: Type.String({ description: "a new access token (JWT) for this session" }),
  expiresIn: Type.Integer(),
});

export const RefreshBody = Type.Object(
  {
    refreshToken: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: "absent: the `sl_refresh` cookie is used",
      }),
    ),
  },
  { additionalProperties: false },
);

export const AuthStatus = Type.Object({ setupRequired: Type.Boolean() });

export const AuthMethods = Type.Object({
  password: Type.Literal(true),
  /** Null when auth.oidc is off. */
  oidc: Type.Union([
    Type.Null(),
    Type.Object({
      /** The button says "Sign in with <label>". */
      label: Type.String(),
      /** Open it in the browser (a navigation, not a fetch): it redirects to the provider. */
      startUrl: Type.String(),
    }),
  ]),
});

/** What the provider adds to the redirect URL (RFC 6749 4.1.2, RFC 9207 `iss`). */
export const OidcCallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 4096 })),
    state: Type.Optional(Type.String({ maxLength: 1024 })),
    iss: Type.Optional(Type.String({ maxLength: 2048 })),
    error: Type.Optional(Type.String({ maxLength: 256 })),
    error_description: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: Type.String({ maxLength: 4096 }) },
);

export const PasswordChangeBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 1024 }), newPassword: NewPassword },
  { additionalProperties: false },
);

export const AcceptBody = Type.Object(
  { token: LinkToken, password: NewPassword },
  { additionalProperties: false },
);

export const LookupBody = Type.Object({ token: LinkToken }, { additionalProperties: false });

export const SiteGrant = Type.Object(
  { site: Type.String({ minLength: 1, maxLength: 253 }), role: SiteRole },
  { additionalProperties: false },
);

export const InvitationLookup = Type.Object({
  email: Type.String(),
  instanceAdmin: Type.Boolean(),
  sites: Type.Array(SiteGrant),
  expiresAt: Type.String({ format: "date-time" }),
});

export const SessionItem = Type.Object({
  id: Type.String(),
  createdAt: Type.String({ format: "date-time" }),
  lastUsedAt: Type.String({
    format: "date-time",
    description: "the last sign-in or refresh, so to within an access token's lifetime",
  }),
  expiresAt: Type.String({ format: "date-time" }),
  userAgent: Type.String({ description: 'a summary such as "Firefox on Linux"' }),
  current: Type.Boolean({ description: "the session of this request" }),
});

export const SessionList = Type.Object({ sessions: Type.Array(SessionItem) });

export const SessionParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

export const Revoked = Type.Object({ id: Type.String(), revoked: Type.Literal(true) });
export const SignedOut = Type.Object({ signedOut: Type.Literal(true) });
