import { type Static, Type } from "typebox";
import { Dashboard } from "./dashboards.ts";

const Instant = Type.String({ format: "date-time" });

/** An origin that may frame a share link: `https://example.com`, `https://*.example.com:8443`. */
export const FrameOrigin = Type.String({
  maxLength: 253,
  pattern: "^https?://(\\*\\.)?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?$",
  description: "an origin (scheme, host, optional port), e.g. https://intranet.example.com",
});

export const CreateShareBody = Type.Object(
  {
    site: Type.Optional(
      Type.String({ minLength: 1, maxLength: 253, description: "share this site's dashboard" }),
    ),
    dashboard: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: "or share this custom dashboard" }),
    ),
    name: Type.Optional(Type.String({ maxLength: 100, description: "a note for you" })),
    password: Type.Optional(
      Type.String({
        minLength: 8,
        maxLength: 1024,
        description: "viewers must give it; kept as a scrypt hash",
      }),
    ),
    expiresInDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3660, description: "absent: until revoked" }),
    ),
    frameAncestors: Type.Optional(
      Type.Array(FrameOrigin, {
        maxItems: 20,
        uniqueItems: true,
        description:
          "the pages that may embed it in an iframe (its `frame-ancestors`); absent or empty: none",
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateShareBody = Static<typeof CreateShareBody>;

export const ShareView = Type.Object({
  id: Type.String(),
  kind: Type.Enum(["site", "dashboard"]),
  target: Type.String({ description: "the site id or the dashboard id" }),
  name: Type.String(),
  sites: Type.Array(Type.String(), { description: "the sites it may show" }),
  frameAncestors: Type.Array(Type.String()),
  expiresAt: Type.Union([Instant, Type.Null()]),
  expired: Type.Boolean(),
  hasPassword: Type.Boolean(),
  views: Type.Integer({ description: "how many times it was opened" }),
  lastViewedAt: Type.Union([Instant, Type.Null()]),
  createdAt: Instant,
  createdBy: Type.String({ description: "the email of whoever made it" }),
});

export const ShareCreated = Type.Object({
  share: ShareView,
  url: Type.String({
    description:
      "the link to hand out (also the iframe's src); shown this once: only its hash is kept",
  }),
});

export const ShareList = Type.Object({ shares: Type.Array(ShareView) });

export const ShareParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

export const OpenShareBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200, description: "the part after /share/" }),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  },
  { additionalProperties: false },
);

export const OpenedShare = Type.Object({
  token: Type.String({
    description: "a read-only access token (JWT) for the /shared routes of this link only",
  }),
  expiresIn: Type.Integer({ description: "seconds until it expires: open the link again then" }),
  kind: Type.Enum(["site", "dashboard"]),
  name: Type.String(),
  site: Type.Optional(
    Type.Object({ id: Type.String(), name: Type.String(), timezone: Type.String() }),
  ),
  dashboard: Type.Optional(Dashboard),
});
