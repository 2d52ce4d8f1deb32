import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest, FastifySchema } from "fastify";
import type { AppContext } from "../context.ts";
import { errors } from "../errors.ts";
import { runQuery } from "../query/run.ts";
import { ErrorBody, queryErrorResponses } from "../schemas/common.ts";
import type { Dashboard } from "../schemas/dashboards.ts";
import { QueryResult, QuerySpec } from "../schemas/query.ts";
import { OpenedShare, OpenShareBody } from "../schemas/shares.ts";
import { dashboardSites } from "../store/dashboards.ts";
import type { Share } from "../store/shares.ts";
import { requireSites } from "./query.ts";
import { reportDefinitions } from "./reports.ts";

const tags = ["shared"];
/** How long a viewer's access token lasts; the link itself is checked on every request. */
const SHARED_TTL_S = 12 * 60 * 60;
/** The reports a site's dashboard draws (its headline, goals, revenue and live count). */
export const SITE_DASHBOARD_REPORTS = ["overview", "realtime", "events", "properties", "revenue"];
/** The reports a custom dashboard's widgets may draw (src/store/dashboards.ts `Source`). */
export const WIDGET_REPORTS = ["funnel", "retention", "journeys"];
/** What a viewer sets on top of a widget: never part of what makes two queries the same one. */
const VIEWER_KEYS = new Set(["from", "to", "filters", "granularity", "compare"]);
/** Answers of the open route: the link is unknown (404), expired (410), locked (401). */
const openErrors = { ...queryErrorResponses, 410: ErrorBody, 429: ErrorBody, 503: ErrorBody };

type Loose = Record<string, unknown>;

/** The stored part of a query or report body as canonical JSON: key order does not matter. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Loose)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const stored = (body: Loose) =>
  canonical(Object.fromEntries(Object.entries(body).filter(([k]) => !VIEWER_KEYS.has(k))));

/**
 * Whether `asked` is `widget` as a viewer may draw it: the same query but for the range, the
 * time bucket, the comparison and filters added after the widget's own (which stay).
 */
function sameWidgetQuery(widget: Loose, asked: Loose): boolean {
  if (stored(widget) !== stored(asked)) return false;
  const own = (widget.filters as unknown[] | undefined) ?? [];
  const given = (asked.filters as unknown[] | undefined) ?? [];
  return own.every((f, i) => canonical(f) === canonical(given[i]));
}

/** The read-only routes of a share link's viewer: what that one dashboard draws, and no more. */
export const sharedRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  /** The link the request's viewer opened (the guard has checked it is live). */
  const shareOf = (request: FastifyRequest): Share => {
    const share = ctx.store.shares.live(request.principal?.id ?? "");
    if (!share) throw errors.shareEnded();
    return share;
  };

  /** The shared dashboard as it is now; refused when it now shows sites the link was not for. */
  const sharedDashboard = (share: Share): Dashboard => {
    const dashboard = ctx.store.dashboards.get(share.target);
    if (!dashboard) throw errors.shareInvalid();
    const extra = dashboardSites(dashboard).filter((s) => !share.sites.includes(s));
    if (extra.length) throw errors.notShared(`site "${extra[0]}", which the dashboard now shows`);
    return dashboard;
  };

  /** Refuses a query or report body that the shared dashboard does not draw. */
  const check = (share: Share, kind: string, body: Loose) => {
    const sites = (body.sites as string[] | undefined) ?? [];
    if (share.kind === "site") {
      if (sites.length !== 1 || sites[0] !== share.target) {
        throw errors.notShared(`sites other than "${share.target}"`);
      }
      if (kind !== "query" && !SITE_DASHBOARD_REPORTS.includes(kind)) {
        throw errors.notShared(`the ${kind} report`);
      }
      requireSites(ctx, sites);
      return;
    }
    const dashboard = sharedDashboard(share);
    const match = dashboard.widgets.some((w) => {
      const source = w.source as { kind: string; spec?: Loose; body?: Loose };
      if (source.kind !== kind) return false;
      return sameWidgetQuery((source.spec ?? source.body ?? {}) as Loose, body);
    });
    if (!match) throw errors.notShared("this query: only what its widgets draw");
    requireSites(ctx, sites);
  };

  app.post(
    "/shared/open",
    {
      config: { access: { action: "public" }, rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        summary: "Open a share link: what it shows, and a read-only token for it",
        description:
          "Counts one view. A link with a password needs it (401 SHARE_PASSWORD_REQUIRED, then SHARE_PASSWORD_WRONG); an unknown or revoked link is 404, an expired one 410.",
        tags,
        security: [],
        body: OpenShareBody,
        response: { 200: OpenedShare, ...openErrors },
      },
    },
    async (request) => {
      const { token, password } = request.body;
      const found = ctx.store.shares.find(token);
      if (found.status === "invalid") throw errors.shareInvalid();
      if (found.status === "expired") throw errors.shareExpired(found.share.expiresAt ?? "");
      const { share, passwordHash } = found;
      if (passwordHash !== undefined) {
        if (password === undefined) throw errors.sharePasswordRequired();
        if (!(await ctx.passwords.verify(password, passwordHash))) {
          throw errors.sharePasswordWrong();
        }
      }
      let content:
        | { site: { id: string; name: string; timezone: string } }
        | { dashboard: Dashboard };
      if (share.kind === "site") {
        const site = ctx.store.getSite(share.target);
        if (!site) throw errors.shareInvalid();
        content = { site: { id: site.id, name: site.name, timezone: site.timezone } };
      } else {
        content = { dashboard: sharedDashboard(share) };
      }
      ctx.store.shares.viewed(share.id);
      return {
        token: app.jwt.sign(
          { sub: "share", sid: share.id, tv: 0, typ: "share" },
          { expiresIn: SHARED_TTL_S },
        ),
        expiresIn: SHARED_TTL_S,
        kind: share.kind,
        name: share.name,
        ...content,
      };
    },
  );

  app.post(
    "/shared/query",
    {
      config: { access: { action: "shared.view" } },
      schema: {
        summary: "Run a query the shared dashboard draws",
        description:
          "A site's dashboard: any query on that one site. A custom dashboard: only its widgets' queries, with the viewer's range, time bucket, comparison and added filters.",
        tags,
        body: QuerySpec,
        response: { 200: QueryResult, ...queryErrorResponses },
      },
    },
    async (request) => {
      check(shareOf(request), "query", request.body as Loose);
      return runQuery(ctx.ch, request.body);
    },
  );

  for (const { name, summary, body, result, run } of reportDefinitions(ctx)) {
    if (!SITE_DASHBOARD_REPORTS.includes(name) && !WIDGET_REPORTS.includes(name)) continue;
    app.post(
      `/shared/reports/${name}`,
      {
        config: { access: { action: "shared.view" } },
        schema: {
          summary: `${summary}, as the shared dashboard draws it`,
          tags,
          body,
          response: { 200: result, ...queryErrorResponses },
        } as FastifySchema,
      },
      async (request) => {
        check(shareOf(request), name, request.body as Loose);
        return run(request.body);
      },
    );
  }
};
