import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proxyRecipes, snippetFor } from "../../frontend/src/sites/recipes.ts";
import { DESKTOP_CHROME, launchChromium } from "./browser.ts";
import { api, eventually, type RunningStack, startProcess } from "./process.ts";

// The first-party recipes as the dashboard shows them, run for real: Debian's nginx and Caddy in
// front of a stack, configured from the recipe text itself (only a page for the site is added
// where the recipe leaves "the rest of your site"), with Chromium as the first visitor.
// The stack trusts the proxy (127.0.0.1) and nothing else. A second visitor comes from 127.0.0.2
// (Chromium cannot choose its source address, Node can): once through the proxy, once through it
// with a forged X-Forwarded-For, once straight to the stack with another forged one. The
// cookieless visitor id hashes the address, so the three are one visitor only if the proxy's
// X-Forwarded-For reached the collector and both forgeries were ignored: two visitors in all.
// (With the proxy untrusted the same run counts three: the proxied requests share the proxy's
// address.)

const ADMIN = { email: "owner@proxies.test", password: "a long proxies password" };
const NGINX = process.env.NGINX_PATH ?? "/usr/sbin/nginx";
const CADDY = process.env.CADDY_PATH ?? "/usr/bin/caddy";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function listening(port: number, child: ChildProcess, output: () => string) {
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`proxy exited: ${output()}`);
      const res = await fetch(`http://127.0.0.1:${port}/`);
      return res.status === 200 ? true : undefined;
    },
    20_000,
    `the proxy on port ${port}`,
  );
}

function page(site: string): string {
  return `<!doctype html><html><head><title>${site}</title>
${snippetFor({ id: site }).replace("data-site=", 'data-automation="allow" data-site=')}
</head><body><h1>${site}</h1></body></html>`;
}

interface Proxy {
  port: number;
  child: ChildProcess;
  output: () => string;
}

function run(command: string, args: string[], env: Record<string, string> = {}): Proxy["child"] {
  return spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function capture(child: ChildProcess): () => string {
  let text = "";
  child.stdout?.on("data", (c: Buffer) => (text += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (text += c.toString()));
  return () => text;
}

async function startNginx(stackUrl: string, site: string): Promise<Proxy> {
  const dir = mkdtempSync(join(tmpdir(), "sl-nginx-"));
  // nginx's workers run as nobody when the master is root: they read the page from here.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, "site"));
  writeFileSync(join(dir, "site", "index.html"), page(site));
  chmodSync(join(dir, "site"), 0o755);
  const port = await freePort();
  const recipe = proxyRecipes(stackUrl, { id: site, domains: ["127.0.0.1"] }).find(
    (r) => r.key === "nginx",
  );
  const conf = `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    server {
        listen 127.0.0.1:${port};
        root ${dir}/site;
${recipe?.text.replace(/^/gm, "        ")}
    }
}
`;
  writeFileSync(join(dir, "nginx.conf"), conf);
  const check = spawn(NGINX, ["-t", "-p", dir, "-c", join(dir, "nginx.conf")]);
  const checked = capture(check);
  const code = await new Promise((resolve) => check.once("exit", resolve));
  expect(code, checked()).toBe(0);
  const child = run(NGINX, ["-p", dir, "-c", join(dir, "nginx.conf"), "-g", "daemon off;"]);
  const output = capture(child);
  await listening(port, child, output);
  return { port, child, output };
}

async function startCaddy(stackUrl: string, site: string): Promise<Proxy> {
  const dir = mkdtempSync(join(tmpdir(), "sl-caddy-"));
  mkdirSync(join(dir, "site"));
  writeFileSync(join(dir, "site", "index.html"), page(site));
  const port = await freePort();
  // The recipe's site address is the domain; here it is this plain-HTTP loopback address.
  const recipe = proxyRecipes(stackUrl, {
    id: site,
    domains: [`http://127.0.0.1:${port}`],
  }).find((r) => r.key === "caddy");
  const text = recipe?.text ?? "";
  expect(text).toContain("# ... the rest of your site");
  const caddyfile = `{
    admin off
    auto_https off
    storage file_system ${dir}/data
}
${text.replace("# ... the rest of your site", `root * ${dir}/site\n    file_server`)}
`;
  writeFileSync(join(dir, "Caddyfile"), caddyfile);
  const env = { HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir };
  const check = run(
    CADDY,
    ["validate", "--config", join(dir, "Caddyfile"), "--adapter", "caddyfile"],
    env,
  );
  const checked = capture(check);
  const code = await new Promise((resolve) => check.once("exit", resolve));
  expect(code, checked()).toBe(0);
  const child = run(
    CADDY,
    ["run", "--config", join(dir, "Caddyfile"), "--adapter", "caddyfile"],
    env,
  );
  const output = capture(child);
  await listening(port, child, output);
  return { port, child, output };
}

/** One batch POSTed from a chosen loopback address, as a second visitor's browser would. */
function postFrom(
  localAddress: string,
  target: string,
  site: string,
  origin: string,
  id: string,
  headers: Record<string, string> = {},
): Promise<number> {
  const body = JSON.stringify({
    s: site,
    e: [{ i: id, n: "pageview", t: Date.now(), u: `${origin}/from-${localAddress}` }],
  });
  const url = new URL("/sl/e", target);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        localAddress,
        headers: {
          "content-type": "text/plain",
          "content-length": Buffer.byteLength(body),
          origin,
          "user-agent": DESKTOP_CHROME,
          ...headers,
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.once("error", reject);
    req.end(body);
  });
}

let stack: RunningStack;
let browser: Browser;
let token: string;
const proxies: Proxy[] = [];

beforeAll(async () => {
  for (const [name, path] of [
    ["nginx", NGINX],
    ["caddy", CADDY],
  ])
    if (!existsSync(path ?? ""))
      throw new Error(
        `${name} is missing at ${path}: run node scripts/ensure-test-deps.mjs (as root)`,
      );
  stack = await startProcess({
    SIGHTLINE_DATA_DIR: mkdtempSync(join(tmpdir(), "sl-proxies-")),
    SIGHTLINE_ADMIN_EMAIL: ADMIN.email,
    SIGHTLINE_ADMIN_PASSWORD: ADMIN.password,
    SIGHTLINE_SERVER_TRUSTED_PROXIES: "127.0.0.1",
    SIGHTLINE_SHIPPER_INTERVAL_MS: "50",
  });
  const login = await api<{ token: string }>(stack.url, "/api/v1/auth/login", {
    method: "POST",
    body: JSON.stringify(ADMIN),
  });
  token = login.body.token;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const proxy of proxies) proxy.child.kill("SIGTERM");
  await stack?.kill("SIGTERM");
});

describe.each([
  ["nginx", startNginx],
  ["caddy", startCaddy],
] as const)("the %s recipe in front of the stack", (name, start) => {
  it("carries the tracker, and the visitor's address through X-Forwarded-For", async () => {
    const site = `via-${name}.test`;
    const created = await api(stack.url, "/api/v1/sites", {
      method: "POST",
      token,
      body: JSON.stringify({ id: site, domains: ["127.0.0.1"] }),
    });
    expect(created.status).toBe(201);
    const proxy = await start(stack.url, site);
    proxies.push(proxy);
    const origin = `http://127.0.0.1:${proxy.port}`;

    // Visitor 1: Chromium (from 127.0.0.1) loads the page, the tracker through /sl/s.js of the
    // proxy, and posts its pageview to /sl/e of the proxy.
    const context = await browser.newContext({ userAgent: DESKTOP_CHROME });
    const tab = await context.newPage();
    const posted: number[] = [];
    tab.on("response", (res) => {
      if (res.url() === `${origin}/sl/e`) posted.push(res.status());
    });
    const script = tab.waitForResponse(`${origin}/sl/s.js`);
    await tab.goto(`${origin}/`);
    expect((await script).status()).toBe(200);
    await eventually(async () => (posted.length > 0 ? true : undefined), 15_000, "the pageview");
    expect(posted).toEqual([204]);
    await context.close();

    // Visitor 2: another address, through the proxy.
    expect(await postFrom("127.0.0.2", origin, site, origin, `${name}-second-visitor-1`)).toBe(204);
    // Visitor 2 again, claiming another address: the proxy's own hop wins.
    expect(
      await postFrom("127.0.0.2", origin, site, origin, `${name}-second-visitor-2`, {
        "x-forwarded-for": "203.0.113.7",
      }),
    ).toBe(204);
    // Visitor 2 straight to the stack, from a peer that is not a trusted proxy: ignored too.
    expect(
      await postFrom("127.0.0.2", stack.url, site, origin, `${name}-second-visitor-3`, {
        "x-forwarded-for": "198.51.100.9",
      }),
    ).toBe(204);

    const today = new Date().toISOString().slice(0, 10);
    const totals = await eventually(
      async () => {
        const res = await api<{ totals: { pageviews: number; visitors: number } }>(
          stack.url,
          `/api/v1/stats/daily?site=${site}&from=${today}&to=${today}&tz=UTC`,
          { token },
        );
        return res.body.totals.pageviews >= 4 ? res.body.totals : undefined;
      },
      30_000,
      "four pageviews in ClickHouse",
    );
    expect(totals).toEqual({ pageviews: 4, visitors: 2 });
  });
});
