// Security headers on each kind of answer, and what the request log never holds, through the
// real stack with a real logger.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FRONTEND_DIR } from "./paths.ts";
import { ADMIN, adminEnv, login, pageview, testStack } from "./testing/stack.ts";

let stack: Awaited<ReturnType<typeof testStack>>;
const logs: string[] = [];
let admin: Record<string, string>;

beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  // The most talkative level: whatever is logged at all is checked below.
  stack = await testStack(adminEnv(), { fastify: { logger: { level: "trace", stream } } });
  admin = { authorization: `Bearer ${await login(stack)}` };
  await stack.app.inject({
    method: "POST",
    url: "/api/v1/sites",
    headers: admin,
    payload: { id: "example.com", domains: ["example.com"] },
  });
});
afterAll(() => stack.close());

/** The directives of a Content-Security-Policy header, by name. */
function csp(header: unknown): Map<string, string[]> {
  return new Map(
    String(header ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name = "", ...values]) => [name, values]),
  );
}

describe("security headers", () => {
  it("give the dashboard a strict policy: no inline script, never framed", async () => {
    const res = await stack.app.inject({ method: "GET", url: "/" });
    expect(res.statusCode).toBe(200);
    const policy = csp(res.headers["content-security-policy"]);
    expect(policy.get("script-src")).toEqual(["'self'"]);
    expect(policy.get("script-src-attr")).toEqual(["'none'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("img-src")).toContain("data:");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["referrer-policy"]).toBe("same-origin");
    expect(res.headers["x-frame-options"]).toBe("DENY");
    // The built page works under it: every script is an external same-origin file, and the
    // only data: URL is the favicon, an image.
    const html = readFileSync(join(FRONTEND_DIR, "index.html"), "utf8");
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = "", body = ""] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\/[\w.-]+\.js"/);
      expect(body.trim()).toBe("");
    }
    expect(html).not.toMatch(/\son\w+=/i);
    for (const [, url] of html.matchAll(/(?:href|src)="(data:[^"]+)"/g)) {
      expect(url).toMatch(/^data:image\//);
    }
    const asset = /src="(\/assets\/[\w.-]+\.js)"/.exec(html)?.[1] ?? "";
    const script = await stack.app.inject({ method: "GET", url: asset });
    expect(script.statusCode).toBe(200);
    expect(script.headers["x-content-type-options"]).toBe("nosniff");
    // A client-side route gets the page with the same policy.
    const route = await stack.app.inject({ method: "GET", url: "/dashboards/abc" });
    expect(route.headers["content-security-policy"]).toBe(res.headers["content-security-policy"]);
  });

  it("keep API answers out of caches and never framed", async () => {
    for (const [url, headers] of [
      ["/api/v1/auth/status", {}],
      ["/api/v1/me", admin],
      ["/api/v1/sites", admin],
    ] as const) {
      const res = await stack.app.inject({ method: "GET", url, headers });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["cache-control"], url).toBe("no-store");
      expect(res.headers["x-content-type-options"], url).toBe("nosniff");
      expect(csp(res.headers["content-security-policy"]).get("frame-ancestors"), url).toEqual([
        "'none'",
      ]);
    }
    const refused = await stack.app.inject({ method: "GET", url: "/api/v1/me" });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers["cache-control"]).toBe("no-store");
  });

  it("let the API docs page render with its own scripts", async () => {
    const page = await stack.app.inject({ method: "GET", url: "/api/v1/docs/" });
    expect(page.statusCode).toBe(200);
    const policy = csp(page.headers["content-security-policy"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("script-src")).toContain("'self'");
    expect(policy.get("script-src")).not.toContain("'unsafe-inline'");
    // Every script the page loads is a file the policy allows ('self'), and it is served.
    const sources = [...page.body.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(sources.length).toBeGreaterThan(2);
    for (const src of sources) {
      const url = new URL(src, "http://localhost/api/v1/docs/").pathname;
      const res = await stack.app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(200);
    }
    expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)/);
  });

  it("leave the tracker's answers usable from any customer page", async () => {
    const script = await stack.app.inject({ method: "GET", url: "/sl/s.js" });
    expect(script.statusCode).toBe(200);
    expect(script.headers["cross-origin-resource-policy"]).toBe("cross-origin");
    expect(script.headers["x-content-type-options"]).toBe("nosniff");
    expect(script.headers["content-type"]).toMatch(/javascript/);
    // Nothing that would speak for the customer's domain.
    for (const name of [
      "content-security-policy",
      "strict-transport-security",
      "x-frame-options",
      "cross-origin-opener-policy",
      "referrer-policy",
    ]) {
      expect(script.headers[name], name).toBeUndefined();
    }
    const event = await stack.app.inject({
      method: "POST",
      url: "/sl/e",
      payload: JSON.stringify({ s: "example.com", e: [pageview("headers-1")] }),
      headers: {
        "content-type": "text/plain",
        origin: "https://example.com",
        "user-agent": "Mozilla/5.0 Chrome/140.0",
      },
    });
    expect(event.statusCode).toBe(204);
    expect(event.headers["access-control-allow-origin"]).toBe("https://example.com");
    expect(event.headers["cross-origin-resource-policy"]).toBe("cross-origin");
    const pixel = await stack.app.inject({
      method: "GET",
      url: "/sl/p.gif?s=example.com&u=https%3A%2F%2Fexample.com%2F",
    });
    expect(pixel.headers["cross-origin-resource-policy"]).toBe("cross-origin");
    // Metrics are not served without collector.metricsToken.
    expect((await stack.app.inject({ method: "GET", url: "/sl/metrics" })).statusCode).toBe(404);
  });
});

describe("the request log", () => {
  it("never holds one-time tokens, passwords, refresh tokens or client addresses", async () => {
    const secrets: string[] = [ADMIN.password];
    // A setup link as the console prints it, opened in a browser.
    const setupToken = "setup-token-that-must-not-be-logged-1234";
    secrets.push(setupToken);
    await stack.app.inject({
      method: "GET",
      url: `/?setup=${setupToken}`,
      remoteAddress: "198.51.100.201",
    });
    const invited = await stack.app.inject({
      method: "POST",
      url: "/api/v1/invitations",
      headers: admin,
      payload: { email: "logged@example.test", sites: [{ site: "example.com", role: "viewer" }] },
      remoteAddress: "198.51.100.202",
    });
    const token = /#token=([\w-]+)/.exec(invited.json().url)?.[1] ?? "";
    secrets.push(token);
    const password = "lilac tea on a cold porch";
    secrets.push(password);
    // A failing accept first (weak password), then a good one, then a reuse.
    for (const pw of ["aaaaaaaaaaaaaaaa", password, password]) {
      await stack.app.inject({
        method: "POST",
        url: "/api/v1/auth/invitations/accept",
        payload: { token, password: pw },
        remoteAddress: "198.51.100.203",
      });
    }
    const signIn = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "logged@example.test", password },
      remoteAddress: "198.51.100.204",
    });
    secrets.push(signIn.json().refreshToken, signIn.json().token);
    await stack.app.inject({
      method: "POST",
      url: `/api/v1/auth/refresh?token=${signIn.json().refreshToken}`,
      payload: { refreshToken: signIn.json().refreshToken },
      remoteAddress: "198.51.100.205",
    });
    const text = logs.join("");
    expect(text).toContain('"url":"/?…"');
    expect(text).toContain("/api/v1/auth/invitations/accept");
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/198\.51\.100\.\d+/);
    expect(text).not.toMatch(/authorization|cookie/i);
  });
});
