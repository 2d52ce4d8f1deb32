import { ApiError, errors } from "../errors.ts";
import { compileFilters } from "../query/filters.ts";
import { Params } from "../query/params.ts";
import { prepareQuery } from "../query/run.ts";
import { prepareFunnel } from "../reports/funnel.ts";
import { prepareJourneys } from "../reports/journeys.ts";
import { prepareRetention } from "../reports/retention.ts";
import {
  COLUMNS,
  type DashboardInput,
  type LayoutItem,
  type Placement,
  type Source,
  type Visual,
} from "../schemas/dashboards.ts";

/** The one thing the checks read: whether a site exists. */
export interface Sites {
  getSite(id: string): unknown;
}

/**
 * Runs a check written for a route's own body and reports its 4xx at `at`, where that body sits
 * in this request: `body/metrics/0: …` becomes `body/widgets/2/source/spec/metrics/0: …`.
 */
function located<T>(at: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ApiError) || error.statusCode >= 500) throw error;
    const message = /^body(?=[/:\s])/.test(error.message)
      ? `${at}${error.message.slice("body".length)}`
      : `${at}: ${error.message}`;
    throw new ApiError(error.statusCode, error.code, message, error.details);
  }
}

/** Every site must exist: a 404 naming the first unknown one and where it is, as /query does. */
function checkSites(sites: readonly string[], at: string, known: Sites): void {
  for (const [i, site] of sites.entries()) {
    if (!known.getSite(site)) {
      located(`${at}/${i}`, () => {
        throw errors.siteNotFound(site);
      });
    }
  }
}

/**
 * Checks a widget's source as its own route would, without running anything: the schema was
 * the route's (see Source); then sites, range and compilation by the very functions the route
 * calls. Only failures that need the database (a regular expression RE2 refuses) pass here and
 * surface when the widget is drawn.
 */
export function checkSource(source: Source, at: string, known: Sites): void {
  switch (source.kind) {
    case "query":
      checkSites(source.spec.sites, `${at}/spec/sites`, known);
      located(`${at}/spec`, () => prepareQuery(source.spec));
      return;
    case "funnel":
      checkSites(source.body.sites, `${at}/body/sites`, known);
      located(`${at}/body`, () => prepareFunnel(source.body));
      return;
    case "retention":
      checkSites(source.body.sites, `${at}/body/sites`, known);
      located(`${at}/body`, () => prepareRetention(source.body));
      return;
    case "journeys":
      checkSites(source.body.sites, `${at}/body/sites`, known);
      located(`${at}/body`, () => prepareJourneys(source.body));
      return;
    case "none":
      return;
  }
}

/** A widget's source, and what its visual can draw from it. */
export function checkWidget(
  widget: { source: Source; visual: Visual },
  at: string,
  known: Sites,
): void {
  checkSource(widget.source, `${at}/source`, known);
  const text = widget.visual.type === "text";
  if (text && widget.source.kind !== "none") {
    throw errors.badRequest(`${at}/source/kind: a text widget shows no data: use "none"`);
  }
  if (!text && widget.source.kind === "none") {
    throw errors.badRequest(
      `${at}/visual/type: a widget without data (source "none") can only be "text"`,
    );
  }
  const axis = widget.visual.options?.axis;
  if (axis?.min !== undefined && axis.max !== undefined && axis.min >= axis.max) {
    throw errors.badRequest(
      `${at}/visual/options/axis: min (${axis.min}) must be below max (${axis.max})`,
    );
  }
}

/** The grid is 12 columns wide: a widget may not stick out on the right. */
export function checkPlacement(place: Placement, at: string): void {
  if (place.x + place.w > COLUMNS) {
    throw errors.badRequest(
      `${at}: x + w must be at most ${COLUMNS} (the grid has ${COLUMNS} columns), not ${place.x + place.w}`,
    );
  }
}

/** Exactly one entry per widget, each naming a widget of this body by its id. */
function checkLayout(
  layout: readonly LayoutItem[],
  widgets: readonly { id?: string }[],
  at: string,
): void {
  const ids = new Set<string>();
  for (const [i, w] of widgets.entries()) {
    if (w.id === undefined) {
      throw errors.badRequest(
        `${at}/widgets/${i}/id: required when a layout is given (layout entries name widgets by id)`,
      );
    }
    ids.add(w.id);
  }
  const placed = new Set<string>();
  for (const [i, item] of layout.entries()) {
    checkPlacement(item, `${at}/layout/${i}`);
    if (!ids.has(item.widget)) {
      throw errors.badRequest(
        `${at}/layout/${i}/widget: no widget "${item.widget}" in this dashboard`,
      );
    }
    if (placed.has(item.widget)) {
      throw errors.badRequest(`${at}/layout/${i}/widget: widget "${item.widget}" is placed twice`);
    }
    placed.add(item.widget);
  }
  for (const [i, w] of widgets.entries()) {
    if (w.id !== undefined && !placed.has(w.id)) {
      throw errors.badRequest(
        `${at}/layout: widget "${w.id}" (${at}/widgets/${i}) has no entry; give exactly one per widget`,
      );
    }
  }
}

/**
 * Checks a whole dashboard body (create, replace, import, restore) beyond its schema: sites,
 * default filters, every widget's source as its route would, unique widget ids and the layout.
 * `at` is where the content sits in the request (`body`, `body/dashboard`).
 */
export function checkDashboard(input: DashboardInput, at: string, known: Sites): void {
  checkSites(input.sites, `${at}/sites`, known);
  const filters = input.defaults?.filters;
  // compileFilters names its own path from `at`: body/defaults/filters/0/dimension.
  compileFilters(filters, new Params(), `${at}/defaults/filters`);
  const ids = new Set<string>();
  for (const [i, widget] of input.widgets.entries()) {
    if (widget.id !== undefined) {
      if (ids.has(widget.id)) {
        throw errors.badRequest(`${at}/widgets/${i}/id: "${widget.id}" appears twice`);
      }
      ids.add(widget.id);
    }
    checkWidget(widget, `${at}/widgets/${i}`, known);
  }
  if (input.layout) checkLayout(input.layout, input.widgets, at);
}
