import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifySchema } from "fastify";
import type { Static, TSchema } from "typebox";
import { bodySites, paramSite } from "../auth/locators.ts";
import type { AppContext } from "../context.ts";
import { breakdown, events, revenue } from "../reports/breakdowns.ts";
import { errorGroups } from "../reports/errors.ts";
import { funnel } from "../reports/funnel.ts";
import { goals } from "../reports/goals.ts";
import { journeys } from "../reports/journeys.ts";
import { overview } from "../reports/overview.ts";
import { properties } from "../reports/properties.ts";
import { realtime } from "../reports/realtime.ts";
import { retention } from "../reports/retention.ts";
import { webVitals } from "../reports/vitals.ts";
import { errorResponses, queryErrorResponses } from "../schemas/common.ts";
import {
  BreakdownResult,
  DevicesBody,
  ErrorsBody,
  ErrorsResult,
  EventsBody,
  FunnelBody,
  FunnelResult,
  GeographyBody,
  GoalsBody,
  GoalsResult,
  JourneysBody,
  JourneysResult,
  OverviewBody,
  OverviewResult,
  PagesBody,
  PropertiesBody,
  PropertiesResult,
  RealtimeBody,
  RealtimeResult,
  RetentionBody,
  RetentionResult,
  RevenueBody,
  SourcesBody,
  TriageBody,
  TriageParams,
  TriageView,
  VitalsBody,
  VitalsResult,
} from "../schemas/reports.ts";
import { requireSites } from "./query.ts";

/** One standard report: its body and answer schemas and how it runs. */
export interface ReportDefinition {
  name: string;
  summary: string;
  body: TSchema;
  result: TSchema;
  /** Runs on a body that passed `body`. */
  run(body: unknown): Promise<unknown>;
}

/** The standard reports, in order: the /reports routes and the share links' (./shared.ts). */
export function reportDefinitions(ctx: AppContext): ReportDefinition[] {
  const now = ctx.now ?? Date.now;
  const defs: ReportDefinition[] = [];
  const report = <B extends TSchema, R extends TSchema>(
    name: string,
    summary: string,
    body: B,
    result: R,
    run: (body: Static<B>) => Promise<Static<R>>,
  ) => {
    defs.push({ name, summary, body, result, run: (b) => run(b as Static<B>) });
  };

  report(
    "overview",
    "Headline metrics with comparison, a time series and realtime visitors",
    OverviewBody,
    OverviewResult,
    (b) => overview(ctx.ch, b, now()),
  );
  report(
    "realtime",
    "Visitors of the last 5 minutes, a per-minute chart of the last half hour, top pages and sources",
    RealtimeBody,
    RealtimeResult,
    (b) => realtime(ctx.ch, b, now()),
  );
  report("pages", "Pages, entry pages, exit pages or hostnames", PagesBody, BreakdownResult, (b) =>
    breakdown(ctx.ch, "pages", b),
  );
  report("sources", "Channels, referrers and UTM parameters", SourcesBody, BreakdownResult, (b) =>
    breakdown(ctx.ch, "sources", b),
  );
  report("geography", "Countries, regions or cities", GeographyBody, BreakdownResult, (b) =>
    breakdown(ctx.ch, "geography", b),
  );
  report(
    "devices",
    "Browsers, operating systems, device types or languages",
    DevicesBody,
    BreakdownResult,
    (b) => breakdown(ctx.ch, "devices", b),
  );
  report(
    "events",
    "Event names, or one event's values of a property",
    EventsBody,
    BreakdownResult,
    (b) => events(ctx.ch, b),
  );
  report(
    "properties",
    "The property keys events carry (of one event, when given), most used first",
    PropertiesBody,
    PropertiesResult,
    (b) => properties(ctx.ch, b),
  );
  report("revenue", "Revenue per currency", RevenueBody, BreakdownResult, (b) =>
    revenue(ctx.ch, b),
  );
  report("goals", "Pageview and event goals with conversion rate", GoalsBody, GoalsResult, (b) =>
    goals(ctx.ch, b),
  );
  report(
    "funnel",
    "Ordered steps within a time window, per-step conversion and drop-off",
    FunnelBody,
    FunnelResult,
    (b) => funnel(ctx.ch, b),
  );
  report("retention", "Daily or weekly retention cohorts", RetentionBody, RetentionResult, (b) =>
    retention(ctx.ch, b),
  );
  report("journeys", "Top paths after or before a page", JourneysBody, JourneysResult, (b) =>
    journeys(ctx.ch, b),
  );
  report(
    "errors",
    "Errors grouped by fingerprint, with triage state",
    ErrorsBody,
    ErrorsResult,
    (b) => errorGroups(ctx.ch, ctx.store, b),
  );
  report("web-vitals", "Core Web Vitals percentiles", VitalsBody, VitalsResult, (b) =>
    webVitals(ctx.ch, b),
  );

  return defs;
}

/** The standard reports: one POST each under /reports, each with its own body and answer. */
export const reportRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  for (const { name, summary, body, result, run } of reportDefinitions(ctx)) {
    app.post(
      `/reports/${name}`,
      {
        config: { access: { action: "reports.read", sites: bodySites } },
        // Typed loosely here: `run` is typed against the very schemas passed in.
        schema: {
          summary,
          tags: ["reports"],
          body,
          response: { 200: result, ...queryErrorResponses },
        } as FastifySchema,
        preHandler: async (request) =>
          requireSites(ctx, (request.body as { sites: string[] }).sites),
      },
      async (request) => run(request.body),
    );
  }

  app.put(
    "/errors/:site/:fingerprint",
    {
      config: { access: { action: "errors.triage", sites: paramSite("site") } },
      schema: {
        summary: "Set the triage state of an error group",
        tags: ["reports"],
        params: TriageParams,
        body: TriageBody,
        response: { 200: TriageView, ...errorResponses },
      },
      preHandler: async (request) => requireSites(ctx, [request.params.site]),
    },
    async (request) =>
      ctx.store.setErrorTriage({
        site: request.params.site,
        fingerprint: request.params.fingerprint,
        state: request.body.state,
        updatedBy: request.principal?.email ?? "",
      }),
  );
};
