import type { FastifyRequest } from "fastify";
import type { AppContext } from "../context.ts";
import { dashboardSites, sourceSites } from "../store/dashboards.ts";

/**
 * Where a request names the sites its action is checked on. The guard (./plugin.ts) calls
 * `find` after the schemas have run, so bodies and params have their declared shapes.
 */
export interface SiteLocator {
  /** For the docs' route table: where the sites come from. */
  label: string;
  find(request: FastifyRequest, ctx: AppContext): readonly string[];
}

type Loose = Record<string, unknown> | undefined;
const body = (r: FastifyRequest) => r.body as Loose;
const params = (r: FastifyRequest) => r.params as Record<string, string>;
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

export const bodySites: SiteLocator = {
  label: "body `sites`",
  find: (r) => strings(body(r)?.sites),
};

export const paramSite = (name: "id" | "site"): SiteLocator => ({
  label: `path \`:${name}\``,
  find: (r) => [params(r)[name] ?? ""],
});

export const querySite: SiteLocator = {
  label: "query `site`",
  find: (r) => [String((r.query as Loose)?.site ?? "")],
};

/** The stored dashboard's sites (none when it does not exist: the route answers 404). */
const storedDashboard = (r: FastifyRequest, ctx: AppContext): string[] => {
  const dashboard = ctx.store.dashboards.get(params(r).id ?? "");
  return dashboard ? dashboardSites(dashboard) : [];
};

export const dashboardParam: SiteLocator = {
  label: "the dashboard's sites (its own and its widgets')",
  find: storedDashboard,
};

/** A replace: the sites it has now and the ones the body gives it. */
export const dashboardAndBody: SiteLocator = {
  label: "the dashboard's sites and the body's",
  find: (r, ctx) => {
    const input = body(r) as Parameters<typeof dashboardSites>[0] | undefined;
    return [...storedDashboard(r, ctx), ...(input ? dashboardSites(input) : [])];
  },
};

export const dashboardBody: SiteLocator = {
  label: "the body's sites (its own and its widgets')",
  find: (r) => dashboardSites(body(r) as Parameters<typeof dashboardSites>[0]),
};

export const importBody: SiteLocator = {
  label: "the imported dashboard's sites",
  find: (r) => dashboardSites(body(r)?.dashboard as Parameters<typeof dashboardSites>[0]),
};

/** A widget route: the dashboard's sites and the sites of the widget in the body, if any. */
export const dashboardAndWidget: SiteLocator = {
  label: "the dashboard's sites and the widget's",
  find: (r, ctx) => {
    const source = body(r)?.source as Parameters<typeof sourceSites>[0] | undefined;
    return [...storedDashboard(r, ctx), ...(source ? sourceSites(source) : [])];
  },
};

/** A restore: the sites the dashboard has now and the ones it had at that version. */
export const dashboardAndVersion: SiteLocator = {
  label: "the dashboard's sites now and at that version",
  find: (r, ctx) => {
    const { id = "", version = "" } = params(r);
    const old = ctx.store.dashboards.version(id, Number(version));
    return [...storedDashboard(r, ctx), ...(old ? dashboardSites(old) : [])];
  },
};

/** An invitation in the body: `sites: [{site, role}]`. */
export const invitationBody: SiteLocator = {
  label: "body `sites[].site`",
  find: (r) => {
    const sites = body(r)?.sites;
    return (Array.isArray(sites) ? (sites as { site?: unknown }[]) : [])
      .map((s) => s.site)
      .filter((s): s is string => typeof s === "string");
  },
};

export const invitationParam: SiteLocator = {
  label: "the invitation's sites",
  find: (r, ctx) => {
    const link = ctx.store.links.get(params(r).id ?? "");
    return link?.kind === "invitation" ? Object.keys(link.roles) : [];
  },
};
