import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import {
  dashboardAndBody,
  dashboardAndVersion,
  dashboardAndWidget,
  dashboardBody,
  dashboardParam,
  importBody,
} from "../auth/locators.ts";
import { allows } from "../auth/permissions.ts";
import type { AppContext } from "../context.ts";
import { checkDashboard, checkPlacement, checkWidget, type Sites } from "../dashboards/check.ts";
import {
  addWidget,
  contentOf,
  duplicateDashboard,
  duplicateWidget,
  exportDocument,
  removeWidget,
  replaceWidget,
  toContent,
} from "../dashboards/content.ts";
import { errors } from "../errors.ts";
import { ErrorBody, errorResponses } from "../schemas/common.ts";
import {
  type Dashboard,
  type DashboardContent,
  DashboardInput,
  DashboardList,
  DashboardParams,
  Dashboard as DashboardSchema,
  Deleted,
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  ExportDocument,
  IfMatchHeaders,
  ImportBody,
  MAX_WIDGETS,
  StaleBody,
  VersionList,
  VersionParams,
  WidgetBody,
  WidgetParams,
} from "../schemas/dashboards.ts";
import { dashboardSites, HISTORY } from "../store/dashboards.ts";

/** Whole dashboards may hold 50 text widgets of 20,000 characters: more than Fastify's 1 MiB. */
const DASHBOARD_BODY_LIMIT = 4 * 1024 * 1024;

const tags = ["dashboards"];
/** Answers of a write to an existing dashboard: a stale version, a missing If-Match. */
const writeErrors = { ...errorResponses, 412: StaleBody, 428: ErrorBody };

const full = () =>
  errors.badRequest(
    `widgets: a dashboard holds at most ${MAX_WIDGETS} widgets and this one is full`,
  );

const etag = (version: number) => `"${version}"`;

/** The version an If-Match header names: `"3"` (a bare 3 is taken too); null when absent. */
function ifMatchVersion(header: string | undefined): number | null {
  if (header === undefined || header.trim() === "") return null;
  const m = /^\s*"?(\d{1,15})"?\s*$/.exec(header);
  if (!m?.[1]) {
    throw errors.badRequest(
      `headers/if-match: expected the dashboard's ETag, such as "3", not ${JSON.stringify(header)}`,
    );
  }
  return Number(m[1]);
}

/** The email a version records as its author. */
const who = (request: FastifyRequest) => request.principal?.email ?? "";

const sendDashboard = (reply: FastifyReply, dashboard: Dashboard, status = 200) =>
  reply.code(status).header("etag", etag(dashboard.version)).send(dashboard);

export const dashboardRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  // Read through ctx on each request: the OpenAPI dump registers routes with a store that throws.
  const store = () => ctx.store.dashboards;
  const sites: Sites = { getSite: (id) => ctx.store.getSite(id) };

  const load = (id: string): Dashboard => {
    const dashboard = store().get(id);
    if (!dashboard) throw errors.dashboardNotFound(id);
    return dashboard;
  };

  /**
   * Writes `change(current)` as the next version of dashboard `id`, if If-Match names its current
   * version. Missing If-Match is a 428 (a 404 when there is no such dashboard), another version a
   * 412 with the current one; neither writes anything.
   */
  const write = (
    id: string,
    ifMatch: string | undefined,
    user: string,
    change: (current: Dashboard) => DashboardContent,
  ): Dashboard => {
    const expected = ifMatchVersion(ifMatch);
    if (expected === null) {
      load(id);
      throw errors.ifMatchRequired(id);
    }
    const result = store().update(id, expected, user, change);
    if (result.status === "missing") throw errors.dashboardNotFound(id);
    if (result.status === "stale") throw errors.stale(id, expected, result.version);
    return result.dashboard;
  };

  app.get(
    "/dashboards",
    {
      config: { access: { action: "dashboards.read" } },
      schema: {
        summary: "The dashboards you may read, without their widgets",
        tags,
        response: { 200: DashboardList, ...errorResponses },
      },
    },
    async (request) => ({
      // Only dashboards whose every site (its own and its widgets') the caller may read.
      dashboards: store()
        .list()
        .filter((d) =>
          dashboardSites(d).every((site) => allows(request.principal, "dashboards.read", site)),
        )
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id))
        .map((d) => ({
          id: d.id,
          name: d.name,
          description: d.description,
          sites: d.sites,
          widgets: d.widgets.length,
          updatedAt: d.updatedAt,
        })),
    }),
  );

  app.post(
    "/dashboards",
    {
      config: { access: { action: "dashboards.manage", sites: dashboardBody } },
      bodyLimit: DASHBOARD_BODY_LIMIT,
      schema: {
        summary: "Create a dashboard",
        description:
          "Widgets get new ids; layout entries may name them by the ids given in the body. Each widget's source is checked as its own route checks it (same status and message, at the widget's path), without running anything. Answers the dashboard with its ETag.",
        tags,
        body: DashboardInput,
        response: { 201: DashboardSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      checkDashboard(request.body, "body", sites);
      const created = store().create(toContent(request.body), who(request));
      return sendDashboard(reply, created, 201);
    },
  );

  app.post(
    "/dashboards/import",
    {
      config: { access: { action: "dashboards.manage", sites: importBody } },
      bodyLimit: DASHBOARD_BODY_LIMIT,
      // Before the schema: a document of a newer format may not match this one's schema at all.
      preValidation: async (request) => {
        const doc = request.body as { format?: unknown; formatVersion?: unknown } | null;
        if (!doc || typeof doc !== "object" || Array.isArray(doc)) return;
        if (doc.format !== EXPORT_FORMAT) {
          throw errors.badRequest(
            `body/format: not a Sightline dashboard export (expected "${EXPORT_FORMAT}")`,
          );
        }
        if (typeof doc.formatVersion === "number" && doc.formatVersion > EXPORT_FORMAT_VERSION) {
          throw errors.badRequest(
            `body/formatVersion: ${doc.formatVersion} is newer than this server reads (${EXPORT_FORMAT_VERSION}); upgrade Sightline to import it`,
          );
        }
      },
      schema: {
        summary: "Create a dashboard from an export document",
        description:
          "Checked as a new dashboard is, fields named under body/dashboard; unknown sites are a 404 naming the field. Widget ids in the document only match layout entries: the dashboard gets new ones.",
        tags,
        body: ImportBody,
        response: { 201: DashboardSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      checkDashboard(request.body.dashboard, "body/dashboard", sites);
      const created = store().create(toContent(request.body.dashboard), who(request));
      return sendDashboard(reply, created, 201);
    },
  );

  app.get(
    "/dashboards/:id",
    {
      config: { access: { action: "dashboards.read", sites: dashboardParam } },
      schema: {
        summary: "One dashboard, with its widgets and layout",
        description: 'The ETag header is "<version>": send it back as If-Match with every change.',
        tags,
        params: DashboardParams,
        response: { 200: DashboardSchema, ...errorResponses },
      },
    },
    async (request, reply) => sendDashboard(reply, load(request.params.id)),
  );

  app.put(
    "/dashboards/:id",
    {
      config: { access: { action: "dashboards.manage", sites: dashboardAndBody } },
      bodyLimit: DASHBOARD_BODY_LIMIT,
      schema: {
        summary: "Replace a dashboard's name, description, sites, widgets, layout and defaults",
        description:
          "Widgets whose id the dashboard has keep it; others get new ids. Requires If-Match.",
        tags,
        params: DashboardParams,
        headers: IfMatchHeaders,
        body: DashboardInput,
        response: { 200: DashboardSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      checkDashboard(request.body, "body", sites);
      const { id } = request.params;
      const updated = write(id, request.headers["if-match"], who(request), (current) =>
        toContent(request.body, new Set(current.widgets.map((w) => w.id))),
      );
      return sendDashboard(reply, updated);
    },
  );

  app.delete(
    "/dashboards/:id",
    {
      config: { access: { action: "dashboards.manage", sites: dashboardParam } },
      schema: {
        summary: "Delete a dashboard and its history",
        description: "Requires If-Match.",
        tags,
        params: DashboardParams,
        headers: IfMatchHeaders,
        response: { 200: Deleted, ...writeErrors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const expected = ifMatchVersion(request.headers["if-match"]);
      if (expected === null) {
        load(id);
        throw errors.ifMatchRequired(id);
      }
      const result = store().remove(id, expected);
      if (result.status === "missing") throw errors.dashboardNotFound(id);
      if (result.status === "stale") throw errors.stale(id, expected, result.version);
      return { id, deleted: true as const };
    },
  );

  app.post(
    "/dashboards/:id/duplicate",
    {
      config: { access: { action: "dashboards.manage", sites: dashboardParam } },
      schema: {
        summary: 'Copy a dashboard: "<name> (copy)", version 1, new ids',
        tags,
        params: DashboardParams,
        response: { 201: DashboardSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const copy = duplicateDashboard(load(request.params.id));
      return sendDashboard(reply, store().create(copy, who(request)), 201);
    },
  );

  app.get(
    "/dashboards/:id/export",
    {
      config: { access: { action: "dashboards.read", sites: dashboardParam } },
      schema: {
        summary: "A dashboard as a portable document, for POST /dashboards/import",
        tags,
        params: DashboardParams,
        response: { 200: ExportDocument, ...errorResponses },
      },
    },
    async (request) => exportDocument(load(request.params.id), new Date()),
  );

  app.get(
    "/dashboards/:id/versions",
    {
      config: { access: { action: "dashboards.read", sites: dashboardParam } },
      schema: {
        summary: `The last ${HISTORY} versions of a dashboard, newest (the current one) first`,
        tags,
        params: DashboardParams,
        response: { 200: VersionList, ...errorResponses },
      },
    },
    async (request) => {
      const versions = store().history(request.params.id);
      if (!versions.length) throw errors.dashboardNotFound(request.params.id);
      return versions.map((v) => ({
        version: v.version,
        updatedAt: v.updatedAt,
        updatedBy: v.updatedBy,
        name: v.name,
        widgets: v.widgets.length,
      }));
    },
  );

  const snapshot = (id: string, version: number): Dashboard => {
    const found = store().version(id, version);
    if (found) return found;
    load(id);
    throw errors.versionNotFound(id, version, HISTORY);
  };

  app.get(
    "/dashboards/:id/versions/:version",
    {
      config: { access: { action: "dashboards.read", sites: dashboardAndVersion } },
      schema: {
        summary: "A dashboard as it was at one of its kept versions",
        tags,
        params: VersionParams,
        response: { 200: DashboardSchema, ...errorResponses },
      },
    },
    async (request) => snapshot(request.params.id, request.params.version),
  );

  app.post(
    "/dashboards/:id/versions/:version/restore",
    {
      config: { access: { action: "dashboards.manage", sites: dashboardAndVersion } },
      schema: {
        summary: "Write a kept version's content as a new version",
        description:
          "Requires If-Match (the current version). The old content is checked again as a PUT body would be, fields named under versions/<version>.",
        tags,
        params: VersionParams,
        headers: IfMatchHeaders,
        response: { 200: DashboardSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const { id, version } = request.params;
      const old = contentOf(snapshot(id, version));
      checkDashboard(old, `versions/${version}`, sites);
      const restored = write(id, request.headers["if-match"], who(request), () => old);
      return sendDashboard(reply, restored);
    },
  );

  app.post(
    "/dashboards/:id/widgets",
    {
      config: { access: { action: "dashboards.manage", sites: dashboardAndWidget } },
      schema: {
        summary: "Add a widget",
        description:
          "The widget gets a new id and goes where `layout` says, or below the others. Requires If-Match. Answers the whole dashboard.",
        tags,
        params: DashboardParams,
        headers: IfMatchHeaders,
        body: WidgetBody,
        response: { 201: DashboardSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      checkWidget(request.body, "body", sites);
      if (request.body.layout) checkPlacement(request.body.layout, "body/layout");
      const updated = write(
        request.params.id,
        request.headers["if-match"],
        who(request),
        (current) => {
          if (current.widgets.length >= MAX_WIDGETS) throw full();
          return addWidget(current, request.body);
        },
      );
      return sendDashboard(reply, updated, 201);
    },
  );

  app.put(
    "/dashboards/:id/widgets/:widgetId",
    {
      config: { access: { action: "dashboards.manage", sites: dashboardAndWidget } },
      schema: {
        summary: "Replace a widget's name, source, visual and range (and its place, if given)",
        description: "Requires If-Match. Answers the whole dashboard.",
        tags,
        params: WidgetParams,
        headers: IfMatchHeaders,
        body: WidgetBody,
        response: { 200: DashboardSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      checkWidget(request.body, "body", sites);
      if (request.body.layout) checkPlacement(request.body.layout, "body/layout");
      const { id, widgetId } = request.params;
      const updated = write(id, request.headers["if-match"], who(request), (current) => {
        const changed = replaceWidget(current, widgetId, request.body);
        if (!changed) throw errors.widgetNotFound(id, widgetId);
        return changed;
      });
      return sendDashboard(reply, updated);
    },
  );

  app.delete(
    "/dashboards/:id/widgets/:widgetId",
    {
      config: { access: { action: "dashboards.manage", sites: dashboardParam } },
      schema: {
        summary: "Remove a widget and its place in the layout",
        description: "Requires If-Match. Answers the whole dashboard.",
        tags,
        params: WidgetParams,
        headers: IfMatchHeaders,
        response: { 200: DashboardSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const { id, widgetId } = request.params;
      const updated = write(id, request.headers["if-match"], who(request), (current) => {
        const changed = removeWidget(current, widgetId);
        if (!changed) throw errors.widgetNotFound(id, widgetId);
        return changed;
      });
      return sendDashboard(reply, updated);
    },
  );

  app.post(
    "/dashboards/:id/widgets/:widgetId/duplicate",
    {
      config: { access: { action: "dashboards.manage", sites: dashboardParam } },
      schema: {
        summary: 'Copy a widget: "<name> (copy)", the same size, below the others',
        description: "Requires If-Match. Answers the whole dashboard.",
        tags,
        params: WidgetParams,
        headers: IfMatchHeaders,
        response: { 201: DashboardSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const { id, widgetId } = request.params;
      const updated = write(id, request.headers["if-match"], who(request), (current) => {
        if (current.widgets.length >= MAX_WIDGETS) throw full();
        const changed = duplicateWidget(current, widgetId);
        if (!changed) throw errors.widgetNotFound(id, widgetId);
        return changed;
      });
      return sendDashboard(reply, updated, 201);
    },
  );
};
