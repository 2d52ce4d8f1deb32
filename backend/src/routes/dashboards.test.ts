// Custom dashboards through the real stack (LMDB, the query compiler, chDB for the /query and
// report calls the checks are compared with): CRUD, If-Match, widgets, copies, export and import,
// history.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, adminEnv, login, testStack } from "../testing/stack.ts";

let stack: Awaited<ReturnType<typeof testStack>>;
let admin: Record<string, string>;
let editor: Record<string, string>;
const EDITOR = { email: "editor@example.test", password: "another long passphrase" };

beforeAll(async () => {
  stack = await testStack(adminEnv());
  admin = { authorization: `Bearer ${await login(stack)}` };
  for (const id of ["a.test", "b.test"]) {
    const res = await call("POST", "/sites", { id, domains: [id] });
    expect(res.statusCode).toBe(201);
  }
  // Editors may change the dashboards of their sites (src/auth/permissions.ts).
  await addUser(stack, EDITOR, { roles: { "a.test": "editor", "b.test": "editor" } });
  editor = { authorization: `Bearer ${await login(stack, EDITOR)}` };
});
afterAll(() => stack.close());

type Method = "GET" | "POST" | "PUT" | "DELETE";
// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field below
type Json = any;

function call(
  method: Method,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
  who = admin,
) {
  return stack.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...who, ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}
const ifMatch = (version: number) => ({ "if-match": `"${version}"` });

const spec = (extra: object = {}) => ({
  sites: ["a.test"],
  from: "2026-03-01",
  to: "2026-03-31",
  tz: "UTC",
  metrics: ["visitors"],
  granularity: "day",
  ...extra,
});
const chart = (name: string, extra: object = {}) => ({
  name,
  source: { kind: "query", spec: spec(extra) },
  visual: { type: "line", options: { colors: ["#336699"], comparison: true } },
});
const note = (name: string, markdown = "Hello") => ({
  name,
  source: { kind: "none" },
  visual: { type: "text", options: { markdown } },
});
const board = (extra: object = {}) => ({
  name: "Marketing",
  description: "Traffic and signups",
  sites: ["a.test", "b.test"],
  widgets: [
    { id: "c", ...chart("Visitors") },
    { id: "n", ...note("Read me") },
  ],
  layout: [
    { widget: "c", x: 0, y: 0, w: 8, h: 4 },
    { widget: "n", x: 8, y: 0, w: 4, h: 4 },
  ],
  defaults: {
    period: "28d",
    compare: "previous_period",
    filters: [{ dimension: "country", op: "is", value: "DE" }],
  },
  ...extra,
});

async function create(body: object = board()): Promise<Json> {
  const res = await call("POST", "/dashboards", body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe("dashboards CRUD", () => {
  it("creates with server ids and the layout following them, reads, lists, replaces and deletes", async () => {
    const res = await call("POST", "/dashboards", board());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    const d = res.json();
    expect(d).toMatchObject({
      name: "Marketing",
      description: "Traffic and signups",
      sites: ["a.test", "b.test"],
      version: 1,
      updatedBy: "admin@example.test",
      defaults: board().defaults,
    });
    expect(d.widgets.map((w: Json) => w.name)).toEqual(["Visitors", "Read me"]);
    const [chartId, noteId] = d.widgets.map((w: Json) => w.id);
    expect(chartId).not.toBe("c");
    expect(d.layout).toEqual([
      { widget: chartId, x: 0, y: 0, w: 8, h: 4 },
      { widget: noteId, x: 8, y: 0, w: 4, h: 4 },
    ]);
    expect(d.createdAt).toBe(d.updatedAt);

    const got = await call("GET", `/dashboards/${d.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.json()).toEqual(d);

    const list = (await call("GET", "/dashboards")).json();
    expect(list.dashboards).toContainEqual({
      id: d.id,
      name: "Marketing",
      description: "Traffic and signups",
      sites: ["a.test", "b.test"],
      widgets: 2,
      updatedAt: d.updatedAt,
    });

    // A replace keeps the ids of widgets it still has and gives new ones to the rest.
    const replaced = await call(
      "PUT",
      `/dashboards/${d.id}`,
      {
        name: "Marketing 2",
        sites: ["a.test"],
        widgets: [
          { id: chartId, ...chart("Visitors by day") },
          { id: "fresh", ...note("New note") },
        ],
        layout: [
          { widget: "fresh", x: 0, y: 0, w: 12, h: 2 },
          { widget: chartId, x: 0, y: 2, w: 12, h: 6 },
        ],
      },
      ifMatch(1),
      editor,
    );
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.headers.etag).toBe('"2"');
    const r = replaced.json();
    expect(r).toMatchObject({
      id: d.id,
      name: "Marketing 2",
      description: "",
      sites: ["a.test"],
      version: 2,
      createdAt: d.createdAt,
      updatedBy: EDITOR.email,
      defaults: { compare: null, filters: [] },
    });
    const freshId = r.widgets[1].id;
    expect(r.widgets[0].id).toBe(chartId);
    expect([chartId, noteId, "fresh"]).not.toContain(freshId);
    expect(r.layout[0]).toEqual({ widget: freshId, x: 0, y: 0, w: 12, h: 2 });

    const gone = await call("DELETE", `/dashboards/${d.id}`, undefined, ifMatch(2));
    expect(gone.statusCode, gone.body).toBe(200);
    expect(gone.json()).toEqual({ id: d.id, deleted: true });
    expect((await call("GET", `/dashboards/${d.id}`)).statusCode).toBe(404);
    expect((await call("GET", `/dashboards/${d.id}/versions`)).statusCode).toBe(404);
    expect((await call("GET", "/dashboards/nope")).json()).toMatchObject({
      code: "DASHBOARD_NOT_FOUND",
      message: 'No dashboard "nope"',
    });
  });

  it("places widgets two to a row without a layout, fills partial defaults, and needs a sign-in", async () => {
    const d = await create({
      name: "Flow",
      sites: ["a.test"],
      widgets: [note("1"), note("2"), note("3")],
    });
    expect(d.layout.map(({ x, y, w, h }: Json) => [x, y, w, h])).toEqual([
      [0, 0, 6, 4],
      [6, 0, 6, 4],
      [0, 4, 6, 4],
    ]);
    const partial = await create({ ...board(), defaults: { period: "all" } });
    expect(partial.defaults).toEqual({ period: "all", compare: null, filters: [] });
    const anonymous = await stack.app.inject({ method: "GET", url: "/api/v1/dashboards" });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe("If-Match", () => {
  it("answers 428 without it, 412 with the current version when stale, and writes nothing", async () => {
    const d = await create();
    const path = `/dashboards/${d.id}`;
    const widget = `${path}/widgets/${d.widgets[0].id}`;
    const writes: [Method, string, unknown][] = [
      ["PUT", path, board({ name: "Lost" })],
      ["DELETE", path, undefined],
      ["POST", `${path}/widgets`, note("Lost")],
      ["PUT", widget, note("Lost")],
      ["DELETE", widget, undefined],
      ["POST", `${widget}/duplicate`, undefined],
      ["POST", `${path}/versions/1/restore`, undefined],
    ];
    // One accepted write, so version 1 is stale from now on.
    const ok = await call("PUT", path, board({ name: "Second" }), ifMatch(1));
    expect(ok.statusCode, ok.body).toBe(200);
    const before = (await call("GET", path)).json();

    for (const [method, url, payload] of writes) {
      const missing = await call(method, url, payload);
      expect(missing.statusCode, `${method} ${url}`).toBe(428);
      expect(missing.json()).toMatchObject({ statusCode: 428, code: "IF_MATCH_REQUIRED" });
      expect(missing.json().message).toMatch(/If-Match/);

      const stale = await call(method, url, payload, ifMatch(1));
      expect(stale.statusCode, `${method} ${url}`).toBe(412);
      expect(stale.json()).toEqual({
        statusCode: 412,
        code: "STALE",
        error: "STALE",
        message: `Dashboard "${d.id}" changed since version 1: it is at version 2; reload it and make the change again`,
        version: 2,
      });
    }
    expect((await call("GET", path)).json()).toEqual(before);
    expect((await call("GET", `${path}/versions`)).json()).toHaveLength(2);

    const bad = await call("PUT", path, board(), { "if-match": "*" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^headers\/if-match: /);
    expect((await call("PUT", "/dashboards/nope", board())).statusCode).toBe(404);
    expect((await call("PUT", "/dashboards/nope", board(), ifMatch(1))).statusCode).toBe(404);
  });
});

describe("widgets", () => {
  it("adds, replaces, duplicates and removes widgets, each answering the whole dashboard", async () => {
    const d = await create();
    const path = `/dashboards/${d.id}`;

    const added = await call("POST", `${path}/widgets`, chart("Pageviews"), ifMatch(1));
    expect(added.statusCode, added.body).toBe(201);
    expect(added.headers.etag).toBe('"2"');
    const a = added.json();
    const newId = a.widgets[2].id;
    expect(a.widgets[2]).toMatchObject({ name: "Pageviews", source: chart("x").source });
    expect(a.layout[2]).toEqual({ widget: newId, x: 0, y: 4, w: 6, h: 4 });

    const placed = await call(
      "POST",
      `${path}/widgets`,
      { ...note("Side"), range: { period: "7d" }, layout: { x: 6, y: 4, w: 6, h: 2 } },
      ifMatch(2),
    );
    expect(placed.statusCode, placed.body).toBe(201);
    const p = placed.json();
    expect(p.widgets[3]).toMatchObject({ name: "Side", range: { period: "7d" } });
    expect(p.layout[3]).toMatchObject({ x: 6, y: 4, w: 6, h: 2 });

    const replaced = await call(
      "PUT",
      `${path}/widgets/${newId}`,
      chart("Pageviews by week", { granularity: "week" }),
      ifMatch(3),
    );
    expect(replaced.statusCode, replaced.body).toBe(200);
    const r = replaced.json();
    expect(r.version).toBe(4);
    expect(r.widgets[2]).toMatchObject({ id: newId, name: "Pageviews by week" });
    expect(r.widgets[2].source.spec.granularity).toBe("week");
    expect(r.layout[2]).toEqual(a.layout[2]);

    const moved = await call(
      "PUT",
      `${path}/widgets/${newId}`,
      { ...chart("Pageviews by week"), layout: { x: 0, y: 10, w: 12, h: 3 } },
      ifMatch(4),
    );
    expect(moved.json().layout[2]).toEqual({ widget: newId, x: 0, y: 10, w: 12, h: 3 });

    const copied = await call("POST", `${path}/widgets/${newId}/duplicate`, undefined, ifMatch(5));
    expect(copied.statusCode, copied.body).toBe(201);
    const c = copied.json();
    const copy = c.widgets[4];
    expect(copy).toMatchObject({
      name: "Pageviews by week (copy)",
      source: moved.json().widgets[2].source,
    });
    expect(copy.id).not.toBe(newId);
    expect(c.layout[4]).toEqual({ widget: copy.id, x: 0, y: 13, w: 12, h: 3 });

    const removed = await call("DELETE", `${path}/widgets/${newId}`, undefined, ifMatch(6));
    expect(removed.statusCode, removed.body).toBe(200);
    const after = removed.json();
    expect(after.version).toBe(7);
    expect(after.widgets.map((w: Json) => w.id)).not.toContain(newId);
    expect(after.layout.map((l: Json) => l.widget)).toEqual(after.widgets.map((w: Json) => w.id));

    const missing = await call("PUT", `${path}/widgets/nope`, note("x"), ifMatch(7));
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe(`No widget "nope" in dashboard "${d.id}"`);
    const off = await call(
      "POST",
      `${path}/widgets`,
      { ...note("x"), layout: { x: 8, y: 0, w: 6, h: 2 } },
      ifMatch(7),
    );
    expect(off.statusCode).toBe(400);
    expect(off.json().message).toMatch(/^body\/layout: x \+ w must be at most 12/);
    expect((await call("GET", path)).json().version).toBe(7);
  });
});

describe("copies, export and import", () => {
  it('duplicates a dashboard as "<name> (copy)" at version 1 with new ids', async () => {
    const d = await create();
    const res = await call("POST", `/dashboards/${d.id}/duplicate`, undefined, {}, editor);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    const copy = res.json();
    expect(copy).toMatchObject({
      name: "Marketing (copy)",
      version: 1,
      updatedBy: EDITOR.email,
      sites: d.sites,
      defaults: d.defaults,
    });
    expect(copy.id).not.toBe(d.id);
    const ids = copy.widgets.map((w: Json) => w.id);
    for (const w of d.widgets) expect(ids).not.toContain(w.id);
    expect(copy.widgets.map(({ id: _, ...w }: Json) => w)).toEqual(
      d.widgets.map(({ id: _, ...w }: Json) => w),
    );
    expect(copy.layout.map((l: Json) => l.widget)).toEqual(ids);
    expect(copy.layout.map(({ widget: _, ...l }: Json) => l)).toEqual(
      d.layout.map(({ widget: _, ...l }: Json) => l),
    );
    expect((await call("GET", `/dashboards/${copy.id}/versions`)).json()).toHaveLength(1);
    expect((await call("GET", `/dashboards/${d.id}`)).json()).toEqual(d);
  });

  it("exports a document that imports as a new dashboard with the same content", async () => {
    const d = await create();
    const exported = await call("GET", `/dashboards/${d.id}/export`);
    expect(exported.statusCode).toBe(200);
    const doc = exported.json();
    expect(doc).toMatchObject({
      format: "sightline-dashboard",
      formatVersion: 1,
      dashboard: {
        name: d.name,
        description: d.description,
        sites: d.sites,
        defaults: d.defaults,
        widgets: d.widgets,
        layout: d.layout,
      },
    });
    expect(Object.keys(doc.dashboard).sort()).toEqual(
      ["defaults", "description", "layout", "name", "sites", "widgets"].sort(),
    );
    expect(Number.isNaN(Date.parse(doc.exportedAt))).toBe(false);

    // Through text, as a file would carry it.
    const imported = await call("POST", "/dashboards/import", JSON.parse(JSON.stringify(doc)));
    expect(imported.statusCode, imported.body).toBe(201);
    const i = imported.json();
    expect(i.id).not.toBe(d.id);
    expect(i.version).toBe(1);
    const strip = (x: Json) => ({
      ...x,
      widgets: x.widgets.map(({ id: _, ...w }: Json) => w),
      layout: x.layout.map(({ widget: _, ...l }: Json) => l),
    });
    expect(strip((await call("GET", `/dashboards/${i.id}/export`)).json().dashboard)).toEqual(
      strip(doc.dashboard),
    );
    expect(i.layout.map((l: Json) => l.widget)).toEqual(i.widgets.map((w: Json) => w.id));
  });

  it("refuses bad documents with a 400 naming the field (unknown sites: 404 naming it)", async () => {
    const d = await create();
    const doc = (await call("GET", `/dashboards/${d.id}/export`)).json();
    const withDashboard = (change: (x: Json) => void) => {
      const copy = structuredClone(doc);
      change(copy.dashboard);
      return copy;
    };

    const badJson = await stack.app.inject({
      method: "POST",
      url: "/api/v1/dashboards/import",
      headers: { ...admin, "content-type": "application/json" },
      payload: '{"format": "sightline-dashboard", ',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().message).toMatch(/JSON/);

    const cases: [object, number, string | RegExp][] = [
      [
        withDashboard((x) => {
          x.widgets[0].source.spec.metrics = [{ name: "sum" }];
        }),
        400,
        "body/dashboard/widgets/0/source/spec/metrics/0/property: required for sum",
      ],
      [
        withDashboard((x) => {
          x.widgets[0].source.spec.dimensions = ["nope"];
        }),
        400,
        'body/dashboard/widgets/0/source/spec/dimensions/0: unknown dimension "nope"',
      ],
      [
        withDashboard((x) => {
          x.widgets[1].visual.type = "piechart";
        }),
        400,
        /^body\/dashboard\/widgets\/1\/visual\/type must be equal to one of the allowed values/,
      ],
      [
        withDashboard((x) => {
          x.sites = ["a.test", "gone.test"];
        }),
        404,
        'body/dashboard/sites/1: No site "gone.test"',
      ],
      [
        withDashboard((x) => {
          x.widgets[0].source.spec.sites = ["gone.test"];
        }),
        404,
        'body/dashboard/widgets/0/source/spec/sites/0: No site "gone.test"',
      ],
      [
        withDashboard((x) => {
          x.layout.pop();
        }),
        400,
        /^body\/dashboard\/layout: widget ".*" \(body\/dashboard\/widgets\/1\) has no entry/,
      ],
      [
        withDashboard((x) => {
          x.layout[1].widget = "stranger";
        }),
        400,
        'body/dashboard/layout/1/widget: no widget "stranger" in this dashboard',
      ],
      [
        withDashboard((x) => {
          x.defaults.filters = [{ dimension: "nope", op: "is", value: "x" }];
        }),
        400,
        'body/dashboard/defaults/filters/0/dimension: unknown dimension "nope"',
      ],
      [
        { ...doc, formatVersion: 2, dashboard: { changed: true } },
        400,
        "body/formatVersion: 2 is newer than this server reads (1); upgrade Sightline to import it",
      ],
      [
        { ...doc, format: "grafana" },
        400,
        'body/format: not a Sightline dashboard export (expected "sightline-dashboard")',
      ],
      [{ ...doc, dashboard: undefined }, 400, /^body must have required property 'dashboard'/],
    ];
    const before = (await call("GET", "/dashboards")).json().dashboards.length;
    for (const [body, status, message] of cases) {
      const res = await call("POST", "/dashboards/import", body);
      expect(res.statusCode, res.body).toBe(status);
      if (typeof message === "string") expect(res.json().message).toBe(message);
      else expect(res.json().message).toMatch(message);
    }
    expect((await call("GET", "/dashboards")).json().dashboards.length).toBe(before);
  });
});

/**
 * The message /query gave, at the path the spec has in a dashboard request (a schema message
 * lists several paths, each moved).
 */
const at = (path: string, message: string) =>
  /^body[/ :]/.test(message)
    ? message.replace(/(^|, )body(?=[/ :])/g, `$1${path}`)
    : `${path}: ${message}`;

describe("widgets are checked as their own route checks them", () => {
  const badSpecs: [string, object][] = [
    ["schema: limit", spec({ limit: 10_000_000 })],
    ["schema: unknown field", spec({ colour: "red" })],
    ["schema: metric", spec({ metrics: ["nope"] })],
    ["compile: dimension", spec({ dimensions: ["nope"] })],
    ["compile: property", spec({ metrics: [{ name: "quantile", property: "x" }] })],
    ["compile: goal", spec({ metrics: [{ name: "conversions", goal: {} }] })],
    ["compile: sort", spec({ sort: [{ by: "pageviews" }] })],
    ["compile: labels", spec({ metrics: ["visitors", "visitors"] })],
    ["compile: filter", spec({ filters: [{ dimension: "zz", op: "is", value: "x" }] })],
    [
      "compile: filter value",
      spec({ filters: [{ dimension: "page", op: "is", value: ["a", "b"] }] }),
    ],
    ["range: zone", spec({ tz: "Mars/Olympus" })],
    ["range: order", spec({ to: "2026-02-01" })],
    ["range: date", spec({ from: "2026-02-30" })],
    ["range: granularity", spec({ granularity: "minute" })],
    ["range: mixed bounds", spec({ to: "2026-03-31T10:00" })],
  ];

  it("refuses at save what /query refuses, with the same status and message at the widget's path", async () => {
    const d = await create();
    for (const [name, bad] of badSpecs) {
      const query = await call("POST", "/query", bad);
      expect(query.statusCode, name).toBe(400);
      const message = query.json().message;

      const added = await call(
        "POST",
        `/dashboards/${d.id}/widgets`,
        { name: "x", source: { kind: "query", spec: bad }, visual: { type: "line" } },
        ifMatch(1),
      );
      expect(added.statusCode, `${name}: ${added.body}`).toBe(400);
      expect(added.json().message, name).toBe(at("body/source/spec", message));
      expect(added.json().code, name).toBe(query.json().code);

      const whole = await call("POST", "/dashboards", {
        ...board(),
        widgets: [
          { id: "c", ...chart("x"), source: { kind: "query", spec: bad } },
          board().widgets[1],
        ],
      });
      expect(whole.statusCode, name).toBe(400);
      expect(whole.json().message, name).toBe(at("body/widgets/0/source/spec", message));
    }
    // Unknown sites: 404, as /query answers, the message naming where the site is.
    const unknown = spec({ sites: ["a.test", "zzz.test"] });
    const query = await call("POST", "/query", unknown);
    expect(query.statusCode).toBe(404);
    const added = await call(
      "POST",
      `/dashboards/${d.id}/widgets`,
      { name: "x", source: { kind: "query", spec: unknown }, visual: { type: "line" } },
      ifMatch(1),
    );
    expect(added.statusCode).toBe(404);
    expect(added.json()).toMatchObject({
      code: query.json().code,
      message: `body/source/spec/sites/1: ${query.json().message}`,
    });
    expect((await call("GET", `/dashboards/${d.id}`)).json().version).toBe(1);
  });

  it("refuses report bodies as the funnel, retention and journeys reports do", async () => {
    const d = await create();
    const scope = { sites: ["a.test"], from: "2026-03-01", to: "2026-03-31", tz: "UTC" };
    const cases: [string, "funnel" | "retention" | "journeys", object][] = [
      ["goal", "funnel", { ...scope, steps: [{ page: "/", event: "x" }, { event: "signup" }] }],
      ["one step", "funnel", { ...scope, steps: [{ page: "/" }] }],
      ["window", "funnel", { ...scope, steps: [{ page: "/" }, { page: "/b" }], window: 0 }],
      [
        "filter",
        "funnel",
        {
          ...scope,
          steps: [{ page: "/" }, { page: "/b" }],
          filters: [{ dimension: "nope", op: "is", value: "x" }],
        },
      ],
      ["range", "retention", { ...scope, to: "2026-01-01" }],
      ["period", "retention", { ...scope, period: "month" }],
      ["page", "journeys", { ...scope }],
      ["steps", "journeys", { ...scope, page: "/", steps: 9 }],
      ["span", "journeys", { ...scope, page: "/", from: "2024-01-01" }],
    ];
    for (const [name, kind, body] of cases) {
      const report = await call("POST", `/reports/${kind}`, body);
      expect(report.statusCode, `${kind} ${name}`).toBe(400);
      const res = await call(
        "POST",
        `/dashboards/${d.id}/widgets`,
        { name: "x", source: { kind, body }, visual: { type: "table" } },
        ifMatch(1),
      );
      expect(res.statusCode, `${kind} ${name}: ${res.body}`).toBe(400);
      expect(res.json().message, `${kind} ${name}`).toBe(
        at("body/source/body", report.json().message),
      );
    }
    // And good ones are kept as given.
    const funnel = { ...scope, steps: [{ page: "/" }, { event: "signup", name: "Signed up" }] };
    const ok = await call(
      "POST",
      `/dashboards/${d.id}/widgets`,
      {
        name: "Signup funnel",
        source: { kind: "funnel", body: funnel },
        visual: { type: "funnel" },
      },
      ifMatch(1),
    );
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().widgets[2].source).toEqual({
      kind: "funnel",
      body: { ...funnel, window: 86_400 },
    });
    expect((await call("POST", "/reports/funnel", funnel)).statusCode).toBe(200);
  });

  it("checks visuals, sources and layouts", async () => {
    const base = board();
    const cases: [string, object, RegExp | string][] = [
      [
        "text with data",
        { widgets: [{ ...base.widgets[0], visual: { type: "text" } }, base.widgets[1]] },
        'body/widgets/0/source/kind: a text widget shows no data: use "none"',
      ],
      [
        "chart without data",
        { widgets: [base.widgets[0], { ...base.widgets[1], visual: { type: "bar" } }] },
        'body/widgets/1/visual/type: a widget without data (source "none") can only be "text"',
      ],
      [
        "axis",
        {
          widgets: [
            { ...base.widgets[0], visual: { type: "line", options: { axis: { min: 5, max: 1 } } } },
            base.widgets[1],
          ],
        },
        "body/widgets/0/visual/options/axis: min (5) must be below max (1)",
      ],
      [
        "colour",
        {
          widgets: [
            { ...base.widgets[0], visual: { type: "line", options: { colors: ["red"] } } },
            base.widgets[1],
          ],
        },
        /^body\/widgets\/0\/visual\/options\/colors\/0 must match pattern/,
      ],
      [
        "option",
        {
          widgets: [
            { ...base.widgets[0], visual: { type: "line", options: { glow: true } } },
            base.widgets[1],
          ],
        },
        /^body\/widgets\/0\/visual\/options must NOT have additional properties/,
      ],
      [
        "pinned range",
        { widgets: [{ ...base.widgets[0], range: { period: "5y" } }, base.widgets[1]] },
        /^body\/widgets\/0\/range\/period must be equal to one of the allowed values/,
      ],
      [
        "source kind",
        { widgets: [{ ...base.widgets[0], source: { kind: "sql" } }, base.widgets[1]] },
        /^body\/widgets\/0\/source value of tag "kind" must be in oneOf/,
      ],
      [
        "too wide",
        { layout: [{ ...base.layout[0], x: 6, w: 8 }, base.layout[1]] },
        "body/layout/0: x + w must be at most 12 (the grid has 12 columns), not 14",
      ],
      [
        "too tall",
        { layout: [{ ...base.layout[0], h: 21 }, base.layout[1]] },
        /^body\/layout\/0\/h must be <= 20/,
      ],
      [
        "placed twice",
        { layout: [base.layout[0], base.layout[0]] },
        'body/layout/1/widget: widget "c" is placed twice',
      ],
      [
        "not placed",
        { layout: [base.layout[0]] },
        'body/layout: widget "n" (body/widgets/1) has no entry; give exactly one per widget',
      ],
      [
        "no id",
        { widgets: [chart("x"), base.widgets[1]] },
        "body/widgets/0/id: required when a layout is given (layout entries name widgets by id)",
      ],
      [
        "same id",
        { widgets: [base.widgets[0], { ...base.widgets[1], id: "c" }] },
        'body/widgets/1/id: "c" appears twice',
      ],
      ["no sites", { sites: [] }, /^body\/sites must NOT have fewer than 1 items/],
      ["long name", { name: "x".repeat(101) }, /^body\/name must NOT have more than 100/],
      ["defaults", { defaults: { compare: "yesterday", filters: [] } }, /^body\/defaults\/compare/],
    ];
    for (const [name, change, message] of cases) {
      const res = await call("POST", "/dashboards", { ...base, ...change });
      expect(res.statusCode, `${name}: ${res.body}`).toBe(400);
      if (typeof message === "string") expect(res.json().message, name).toBe(message);
      else expect(res.json().message, name).toMatch(message);
    }
    const many = Array.from({ length: 51 }, (_, i) => note(`n${i}`));
    const tooMany = await call("POST", "/dashboards", {
      name: "Many",
      sites: ["a.test"],
      widgets: many,
    });
    expect(tooMany.json().message).toMatch(/^body\/widgets must NOT have more than 50 items/);
  });
});

describe("version history", () => {
  it("lists the last 20 versions newest first, serves each, and restores one as a new version", async () => {
    const d = await create();
    const path = `/dashboards/${d.id}`;
    for (let v = 1; v <= 21; v++) {
      const res = await call(
        "PUT",
        path,
        board({ name: `Name ${v + 1}` }),
        ifMatch(v),
        v % 2 ? editor : admin,
      );
      expect(res.statusCode, res.body).toBe(200);
    }
    // Versions 3 to 22 are kept.
    const versions = (await call("GET", `${path}/versions`)).json();
    expect(versions.map((v: Json) => v.version)).toEqual(
      Array.from({ length: 20 }, (_, i) => 22 - i),
    );
    expect(versions[0]).toMatchObject({
      version: 22,
      name: "Name 22",
      widgets: 2,
      updatedBy: EDITOR.email,
    });
    expect(versions[1]).toMatchObject({ version: 21, updatedBy: "admin@example.test" });
    expect((await call("GET", `${path}/versions/2`)).statusCode).toBe(404);

    const old = await call("GET", `${path}/versions/5`);
    expect(old.statusCode).toBe(200);
    expect(old.json()).toMatchObject({ id: d.id, version: 5, name: "Name 5" });

    expect((await call("POST", `${path}/versions/5/restore`)).statusCode).toBe(428);
    expect(
      (await call("POST", `${path}/versions/5/restore`, undefined, ifMatch(21))).statusCode,
    ).toBe(412);
    const restored = await call(
      "POST",
      `${path}/versions/5/restore`,
      undefined,
      ifMatch(22),
      editor,
    );
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.headers.etag).toBe('"23"');
    const r = restored.json();
    expect(r).toMatchObject({ version: 23, name: "Name 5", updatedBy: EDITOR.email });
    const { version: _v, updatedAt: _u, updatedBy: _b, ...content } = old.json();
    const { version: _v2, updatedAt: _u2, updatedBy: _b2, ...now } = r;
    expect(now).toEqual(content);
    const after = (await call("GET", `${path}/versions`)).json();
    expect(after).toHaveLength(20);
    expect(after[0]).toMatchObject({ version: 23, name: "Name 5" });
    expect(
      (await call("POST", `${path}/versions/99/restore`, undefined, ifMatch(23))).json(),
    ).toMatchObject({
      code: "VERSION_NOT_FOUND",
    });
  });
});
