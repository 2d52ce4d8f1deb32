import { type Static, Type } from "typebox";

const Domain = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern: "^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
});

export const SiteView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  domains: Type.Array(Type.String()),
});

export const SiteList = Type.Object({ sites: Type.Array(SiteView) });

export const CreateSiteBody = Type.Object(
  {
    /** The id used in `data-site`; usually the main domain. */
    id: Type.String({ minLength: 1, maxLength: 253, pattern: "^[a-z0-9][a-z0-9._-]*$" }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    domains: Type.Array(Domain, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type CreateSiteBody = Static<typeof CreateSiteBody>;
