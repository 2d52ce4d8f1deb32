import type { QuerySpec } from "../schemas/query.ts";

type ScopeField = "sites" | "from" | "to" | "tz" | "includeBots" | "filters";

/** What every report passes from its request body to the query unchanged: sites, range, bots, filters. */
export function reportScope(body: Pick<QuerySpec, ScopeField>): Pick<QuerySpec, ScopeField> {
  return {
    sites: body.sites,
    from: body.from,
    to: body.to,
    tz: body.tz,
    includeBots: body.includeBots,
    filters: body.filters,
  };
}
