// Share links through the real stack: made by those who may share, opened by anyone with the
// link (and its password), showing one dashboard and nothing else, until revoked or expired.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loggedUrl } from "../security.ts";
import { addUser, adminEnv, login, testStack } from "../testing/stack.ts";

let stack: Awaited<ReturnType<typeof testStack>>;
/** The store's clock (links expire by it); tests move it forward only. */
let offset = 0;
const DAY = 24 * 60 * 60 * 1000;
let admin: Record<string, string>;
let editor: Record<string, string>;
const EDITOR = { email: "editor@shares.test", password: "lanterns drift over the harbour" };
const VIEWER = { email: "viewer@shares.test", password: "moss grows on the northern stones" };
const range = { from: "2026-03-01", to: "2026-03-07", tz: "UTC" };
const spec = (site: string) => ({ ...range, sites: [site], metrics: ["visitors"] });
const filter = { dimension: "country", op: "is", value: "DE" };

beforeAll(async () => {
  stack = await testStack(adminEnv(), { storeNow: () => new Date(Date.now() + offset) });
  admin = { authorization: `Bearer ${await login(stack)}` };
  for (const id of ["one.test", "two.test"]) {
    await call("POST", "/sites", admin, { id, domains: [id] });
  }
  await addUser(stack, EDITOR, { roles: { "one.test": "editor" } });
  await addUser(stack, VIEWER, { roles: { "one.test": "viewer" } });
  editor = { authorization: `Bearer ${await login(stack, EDITOR)}` };
});
afterAll(() => stack.close());

function call(method: string, url: string, headers: object, payload?: object) {
  return stack.app.inject({
    method: method as "GET",
    url: `/api/v1${url}`,
    headers: { ...headers },
    ...(payload ? { payload } : {}),
  });
}

async function share(body: object, who = editor) {
  const res = await call("POST", "/shares", who, body);
  expect(res.statusCode, res.body).toBe(201);
  const made = res.json() as { share: { id: string; views: number }; url: string };
  return { ...made, token: made.url.split("/share/")[1] ?? "" };
}

async function open(token: string, password?: string) {
  return call("POST", "/shared/open", {}, { token, ...(password ? { password } : {}) });
}

async function viewer(token: string, password?: string) {
  const res = await open(token, password);
  expect(res.statusCode, res.body).toBe(200);
  return { authorization: `Bearer ${res.json().token}` };
}

describe("making share links", () => {
  it("lets editors share their site; viewers and other sites' people may not", async () => {
    const made = await share({
      site: "one.test",
      frameAncestors: ["https://intranet.example.com"],
    });
    expect(made.url).toMatch(/^http:\/\/[^/]+\/share\/[\w-]+\.[\w-]{43}$/);
    expect(made.share).toMatchObject({
      kind: "site",
      target: "one.test",
      views: 0,
      hasPassword: false,
    });
    const asViewer = await call(
      "POST",
      "/shares",
      { authorization: `Bearer ${await login(stack, VIEWER)}` },
      {
        site: "one.test",
      },
    );
    expect(asViewer.statusCode).toBe(403);
    const elsewhere = await call("POST", "/shares", editor, { site: "two.test" });
    expect(elsewhere.statusCode).toBe(403);
    const both = await call("POST", "/shares", editor, { site: "one.test", dashboard: "x" });
    expect(both.statusCode).toBe(400);
    const badOrigin = await call("POST", "/shares", editor, {
      site: "one.test",
      frameAncestors: ["https://ok.example.com; script-src *"],
    });
    expect(badOrigin.statusCode).toBe(400);
    const list = await call("GET", "/shares", editor);
    expect(list.json().shares.map((s: { id: string }) => s.id)).toContain(made.share.id);
    const audit = await call("GET", "/audit", admin);
    expect(audit.body).toContain("share.created");
    expect(audit.body).not.toContain(made.token.split(".")[1]);
  });
});

describe("a shared site dashboard", () => {
  it("shows that site's reports and queries, nothing else, and counts views", async () => {
    const made = await share({ site: "one.test" });
    const opened = await open(made.token);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.headers["cache-control"]).toBe("no-store");
    expect(opened.json()).toMatchObject({
      kind: "site",
      site: { id: "one.test", timezone: "UTC" },
    });
    const auth = { authorization: `Bearer ${opened.json().token}` };
    expect((await call("POST", "/shared/query", auth, spec("one.test"))).statusCode).toBe(200);
    const overview = await call("POST", "/shared/reports/overview", auth, {
      ...range,
      sites: ["one.test"],
    });
    expect(overview.statusCode, overview.body).toBe(200);
    // Another site, another report, the query API itself, any write: refused.
    const other = await call("POST", "/shared/query", auth, spec("two.test"));
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe("NOT_SHARED");
    const both = await call("POST", "/shared/query", auth, {
      ...spec("one.test"),
      sites: ["one.test", "two.test"],
    });
    expect(both.statusCode).toBe(403);
    const funnel = await call("POST", "/shared/reports/funnel", auth, {
      ...range,
      sites: ["one.test"],
      steps: [{ page: "/" }, { page: "/x" }],
    });
    expect(funnel.statusCode).toBe(403);
    expect((await call("POST", "/query", auth, spec("one.test"))).statusCode).toBe(403);
    expect((await call("GET", "/sites", auth)).statusCode).toBe(403);
    expect((await call("GET", "/dashboards", auth)).statusCode).toBe(403);
    expect(
      (await call("POST", "/dashboards", auth, { name: "x", sites: ["one.test"], widgets: [] }))
        .statusCode,
    ).toBe(403);
    expect((await call("PATCH", "/sites/one.test", auth, { name: "x" })).statusCode).toBe(403);
    expect((await call("DELETE", `/shares/${made.share.id}`, auth)).statusCode).toBe(403);
    await open(made.token);
    const listed = (await call("GET", "/shares", editor)).json().shares;
    expect(listed.find((s: { id: string }) => s.id === made.share.id).views).toBe(2);
  });

  it("needs its password when it has one", async () => {
    const made = await share({ site: "one.test", password: "open sesame please" });
    const none = await open(made.token);
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe("SHARE_PASSWORD_REQUIRED");
    const wrong = await open(made.token, "open sesame thanks");
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe("SHARE_PASSWORD_WRONG");
    expect((await open(made.token, "open sesame please")).statusCode).toBe(200);
    // Failed attempts are not views.
    const listed = (await call("GET", "/shares", editor)).json().shares;
    expect(listed.find((s: { id: string }) => s.id === made.share.id).views).toBe(1);
    const audit = await call("GET", "/audit", admin);
    expect(audit.body).not.toContain("open sesame");
  });

  it("stops at once when revoked, for new and current viewers", async () => {
    const made = await share({ site: "one.test" });
    const auth = await viewer(made.token);
    expect((await call("DELETE", `/shares/${made.share.id}`, editor)).statusCode).toBe(200);
    const reopened = await open(made.token);
    expect(reopened.statusCode).toBe(404);
    expect(reopened.json().code).toBe("SHARE_INVALID");
    const current = await call("POST", "/shared/query", auth, spec("one.test"));
    expect(current.statusCode).toBe(401);
    expect(current.json().code).toBe("SHARE_ENDED");
    expect((await call("DELETE", `/shares/${made.share.id}`, editor)).statusCode).toBe(404);
    expect((await call("GET", "/audit", admin)).body).toContain("share.revoked");
  });

  it("stops when it expires", async () => {
    const made = await share({ site: "one.test", expiresInDays: 1 });
    const auth = await viewer(made.token);
    offset += DAY + 1000;
    const reopened = await open(made.token);
    expect(reopened.statusCode).toBe(410);
    expect(reopened.json().code).toBe("SHARE_EXPIRED");
    expect((await call("POST", "/shared/query", auth, spec("one.test"))).statusCode).toBe(410);
  });

  it("refuses a forged or garbled token", async () => {
    const made = await share({ site: "one.test" });
    const [id] = made.token.split(".");
    for (const token of [`${id}.${"A".repeat(43)}`, "nothing", `${"x".repeat(150)}.y`]) {
      expect((await open(token)).statusCode).toBe(404);
    }
  });
});

describe("a shared custom dashboard", () => {
  let board: { id: string };
  let made: Awaited<ReturnType<typeof share>>;
  const widgetSpec = { ...spec("one.test"), filters: [filter] };

  beforeAll(async () => {
    const res = await call("POST", "/dashboards", editor, {
      name: "Shared board",
      sites: ["one.test"],
      widgets: [
        {
          name: "German visitors",
          source: { kind: "query", spec: widgetSpec },
          visual: { type: "number" },
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    board = res.json();
    made = await share({ dashboard: board.id, password: "a board password" });
  });

  it("answers only its widgets' queries, with the viewer's range and added filters", async () => {
    const opened = await open(made.token, "a board password");
    expect(opened.json()).toMatchObject({ kind: "dashboard", name: "Shared board" });
    expect(opened.json().dashboard.widgets).toHaveLength(1);
    const auth = { authorization: `Bearer ${opened.json().token}` };
    const same = await call("POST", "/shared/query", auth, widgetSpec);
    expect(same.statusCode, same.body).toBe(200);
    const viewerRange = await call("POST", "/shared/query", auth, {
      ...widgetSpec,
      from: "2026-02-01",
      to: "2026-02-28",
      filters: [filter, { dimension: "browser", op: "is", value: "Firefox" }],
    });
    expect(viewerRange.statusCode, viewerRange.body).toBe(200);
    const more = await call("POST", "/shared/query", auth, {
      ...widgetSpec,
      metrics: ["visitors", "pageviews"],
    });
    expect(more.statusCode).toBe(403);
    const dropped = await call("POST", "/shared/query", auth, { ...widgetSpec, filters: [] });
    expect(dropped.statusCode).toBe(403);
    const byCountry = await call("POST", "/shared/query", auth, {
      ...widgetSpec,
      dimensions: ["country"],
    });
    expect(byCountry.statusCode).toBe(403);
    const site = await call("POST", "/shared/reports/overview", auth, {
      ...range,
      sites: ["one.test"],
    });
    expect(site.statusCode).toBe(403);
  });

  it("is refused once the dashboard shows a site it was not made for", async () => {
    const current = (await call("GET", `/dashboards/${board.id}`, admin)).json();
    const changed = await call(
      "PUT",
      `/dashboards/${board.id}`,
      { ...admin, "if-match": `"${current.version}"` },
      {
        name: current.name,
        sites: ["one.test"],
        widgets: [
          ...current.widgets,
          {
            name: "Two",
            source: { kind: "query", spec: spec("two.test") },
            visual: { type: "number" },
          },
        ],
      },
    );
    expect(changed.statusCode, changed.body).toBe(200);
    const opened = await open(made.token, "a board password");
    expect(opened.statusCode).toBe(403);
    expect(opened.json().message).toMatch(/two\.test/);
  });
});

describe("framing", () => {
  it("lets only the listed origins frame a share link's page; nothing else is framed", async () => {
    const made = await share({
      site: "one.test",
      frameAncestors: ["https://intranet.example.com"],
    });
    const page = await stack.app.inject({ method: "GET", url: `/share/${made.token}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    expect(page.headers["content-security-policy"]).toMatch(
      /frame-ancestors https:\/\/intranet\.example\.com(;|$)/,
    );
    expect(page.headers["x-frame-options"]).toBeUndefined();
    expect(page.headers["referrer-policy"]).toBe("no-referrer");
    const unlisted = await share({ site: "one.test" });
    for (const url of [`/share/${unlisted.token}`, "/share/not-a-token", "/"]) {
      const res = await stack.app.inject({ method: "GET", url });
      expect(res.headers["content-security-policy"], url).toMatch(/frame-ancestors 'none'/);
      expect(res.headers["x-frame-options"], url).toBe("DENY");
    }
  });

  it("keeps a share link's token out of the request log", () => {
    expect(loggedUrl("/share/abc.secret")).toBe("/share/…");
    expect(loggedUrl("/share/abc.secret?x=1")).toBe("/share/…?…");
    expect(loggedUrl("/api/v1/sites")).toBe("/api/v1/sites");
  });
});
