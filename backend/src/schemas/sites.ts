import { IDENTITY_MODES, SITE_FEATURES } from "@sightline/config";
import { type Static, Type } from "typebox";

const Domain = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern: "^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
});

/** The id used in `data-site`; usually the main domain. */
const SiteId = Type.String({ minLength: 1, maxLength: 253, pattern: "^[a-z0-9][a-z0-9._-]*$" });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Domains = Type.Array(Domain, { minItems: 1, maxItems: 50 });
/** Checked against the zones Node and the database both know in the route (`isKnownZone`). */
const timezone = (note = "") =>
  Type.String({
    minLength: 1,
    maxLength: 64,
    description: `IANA time zone the site's reports use, e.g. Europe/Berlin${note}`,
  });

const Retention = Type.Object(
  {
    rawMonths: Type.Integer({
      minimum: 1,
      maximum: 1200,
      description: "months raw events (and bot events) are kept (default 13)",
    }),
    rollupMonths: Type.Integer({
      minimum: 1,
      maximum: 1200,
      description: "months the hourly rollups are kept, at least rawMonths (default 60)",
    }),
  },
  { additionalProperties: false },
);
const Identity = Type.Enum([...IDENTITY_MODES], {
  description:
    "how the tracker tells visitors apart: cookieless (a daily-salted server-side hash, the default), storage (a random id in localStorage) or fingerprint (canvas/WebGL; never under GPC or DNT)",
});
const Features = Type.Array(Type.Enum([...SITE_FEATURES]), {
  uniqueItems: true,
  maxItems: SITE_FEATURES.length,
  description:
    "what the tracker captures on its own: engagement, scroll, outbound, download, form, 404 (the default six), errors and vitals (plugins)",
});

export const SiteView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  domains: Type.Array(Type.String()),
  timezone: Type.String({ description: "IANA time zone; UTC unless set" }),
  retention: Retention,
  identity: Identity,
  features: Features,
});
export type SiteView = Static<typeof SiteView>;

export const SiteList = Type.Object({
  sites: Type.Array(SiteView, {
    description: "the sites you have a role on (all, for instance admins)",
  }),
});

export const SiteParams = Type.Object({ id: SiteId }, { additionalProperties: false });

export const CreateSiteBody = Type.Object(
  {
    id: SiteId,
    name: Type.Optional(Name),
    domains: Domains,
    timezone: Type.Optional(timezone(" (default UTC)")),
    retention: Type.Optional(Retention),
    identity: Type.Optional(Identity),
    features: Type.Optional(Features),
  },
  { additionalProperties: false },
);
export type CreateSiteBody = Static<typeof CreateSiteBody>;

export const UpdateSiteBody = Type.Object(
  {
    name: Type.Optional(Name),
    domains: Type.Optional(Domains),
    timezone: Type.Optional(timezone()),
    retention: Type.Optional(Retention),
    identity: Type.Optional(Identity),
    features: Type.Optional(Features),
  },
  { additionalProperties: false, minProperties: 1, description: "the fields to change" },
);
export type UpdateSiteBody = Static<typeof UpdateSiteBody>;

export const DeleteSiteBody = Type.Object(
  {
    confirm: Type.String({
      maxLength: 253,
      description: "the site's id, typed again: the site and all its data are deleted for good",
    }),
  },
  { additionalProperties: false },
);

export const SiteDeleted = Type.Object({
  id: Type.String(),
  deleted: Type.Literal(true),
  members: Type.Integer({ description: "users who lost their role on it" }),
  dashboards: Type.Object({
    changed: Type.Integer({
      description: "dashboards that showed other sites too, now without it",
    }),
    deleted: Type.Integer({ description: "dashboards of this site only, deleted" }),
  }),
});

export const MemberParams = Type.Object(
  { id: SiteId, userId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

const Instant = (description: string) =>
  Type.Union([Type.String({ format: "date-time" }), Type.Null()], { description });

export const SiteStatus = Type.Object({
  firstEventAt: Instant("the first human event (ISO 8601, UTC), null before any"),
  lastEventAt: Instant("the latest human event (ISO 8601, UTC), null before any"),
  events24h: Type.Integer({ description: "human events of the last 24 hours" }),
  botEvents24h: Type.Integer({ description: "events flagged as bots in the last 24 hours" }),
});
export type SiteStatus = Static<typeof SiteStatus>;
