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

export const SiteView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  domains: Type.Array(Type.String()),
  timezone: Type.String({ description: "IANA time zone; UTC unless set" }),
});
export type SiteView = Static<typeof SiteView>;

export const SiteList = Type.Object({ sites: Type.Array(SiteView) });

export const SiteParams = Type.Object({ id: SiteId }, { additionalProperties: false });

export const CreateSiteBody = Type.Object(
  {
    id: SiteId,
    name: Type.Optional(Name),
    domains: Domains,
    timezone: Type.Optional(timezone(" (default UTC)")),
  },
  { additionalProperties: false },
);
export type CreateSiteBody = Static<typeof CreateSiteBody>;

export const UpdateSiteBody = Type.Object(
  {
    name: Type.Optional(Name),
    domains: Type.Optional(Domains),
    timezone: Type.Optional(timezone()),
  },
  { additionalProperties: false, minProperties: 1, description: "the fields to change" },
);
export type UpdateSiteBody = Static<typeof UpdateSiteBody>;

const Instant = (description: string) =>
  Type.Union([Type.String({ format: "date-time" }), Type.Null()], { description });

export const SiteStatus = Type.Object({
  firstEventAt: Instant("the first human event (ISO 8601, UTC), null before any"),
  lastEventAt: Instant("the latest human event (ISO 8601, UTC), null before any"),
  events24h: Type.Integer({ description: "human events of the last 24 hours" }),
  botEvents24h: Type.Integer({ description: "events flagged as bots in the last 24 hours" }),
});
export type SiteStatus = Static<typeof SiteStatus>;
