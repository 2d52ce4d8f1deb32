import { type Static, Type } from "typebox";
import { TOKEN_SCOPE_NAMES, TOKEN_SCOPES } from "../auth/permissions.ts";

const Instant = Type.String({ format: "date-time" });
const SiteId = Type.String({ minLength: 1, maxLength: 253 });

export const TokenScope = Type.Enum([...TOKEN_SCOPE_NAMES], {
  description: TOKEN_SCOPE_NAMES.map((s) => `${s}: ${TOKEN_SCOPES[s].description}`).join("; "),
});

/** Tokens live at most a year: a leaked one stops working on its own. */
export const MAX_TOKEN_DAYS = 366;
export const DEFAULT_TOKEN_DAYS = 90;

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: "what the token is for" }),
    sites: Type.Array(SiteId, {
      minItems: 1,
      maxItems: 200,
      uniqueItems: true,
      description: "the sites it reaches; you need a role on each that allows every scope",
    }),
    scopes: Type.Array(TokenScope, { minItems: 1, uniqueItems: true }),
    expiresInDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_TOKEN_DAYS,
        description: `days until it stops working (default ${DEFAULT_TOKEN_DAYS})`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateTokenBody = Static<typeof CreateTokenBody>;

export const ApiTokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  sites: Type.Array(Type.String()),
  scopes: Type.Array(TokenScope),
  createdAt: Instant,
  expiresAt: Instant,
  lastUsedAt: Type.Union([Instant, Type.Null()], {
    description: "the last use, to within a minute; null when never used",
  }),
  expired: Type.Boolean(),
});

export const TokenCreated = Type.Object({
  token: ApiTokenView,
  secret: Type.String({
    description:
      "`Authorization: Bearer <secret>`: shown this once; only its SHA-256 is kept, so it cannot be shown again",
  }),
});

export const TokenList = Type.Object({ tokens: Type.Array(ApiTokenView) });

export const TokenParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
