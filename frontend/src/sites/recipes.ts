// The snippet and the first-party proxy recipes a site owner copies: the one source of them. The
// dashboard shows them on a site's setup page, docs/deploy/proxies.md is rendered from them
// (ops/src/deploy/proxies-doc.ts), and the nginx and Caddy recipes run in CI as written
// (backend/e2e/proxies.e2e.test.ts). A pure module: no imports, no DOM, no I/O.
//
// `server` is where this Sightline runs (the dashboard's own origin); the site's domain forwards
// /sl/ to it, so the tracker and its requests stay on the site's own origin.

/** What a recipe needs of a site. */
export interface SiteRef {
  id: string;
  domains: readonly string[];
}

export function snippetFor(site: Pick<SiteRef, "id">): string {
  return `<script defer src="/sl/s.js" data-site="${site.id}"></script>
<script>window.sightline=window.sightline||function(){(sightline.q=sightline.q||[]).push(arguments)}</script>`;
}

export interface Recipe {
  key: string;
  label: string;
  /** Where the text goes. */
  file: string;
  text: string;
  note: string;
}

const TRUST =
  "Sightline reads the visitor's address from X-Forwarded-For only from proxies listed in server.trustedProxies: add your proxy's address there.";

export function proxyRecipes(server: string, site: SiteRef): Recipe[] {
  const url = new URL(server);
  const host = url.host;
  const https = url.protocol === "https:";
  const domain = site.domains[0] ?? site.id;
  return [
    {
      key: "nginx",
      label: "nginx",
      file: `the server block of ${domain}`,
      text: `# in the server block of ${domain}
location /sl/ {
    proxy_pass ${server}/sl/;
    proxy_set_header Host ${host};
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_ssl_server_name on;
    proxy_buffering off;
}`,
      note: `nginx appends the visitor's address to X-Forwarded-For; Sightline reads it from the right, so an address a visitor sends is never believed. ${TRUST}`,
    },
    {
      key: "caddy",
      label: "Caddy",
      file: "your Caddyfile",
      text: `${domain} {
    handle /sl/* {
        reverse_proxy ${server} {
            header_up Host {upstream_hostport}
        }
    }
    # ... the rest of your site
}`,
      note: `Caddy sets X-Forwarded-For itself (and replaces one a visitor sends). ${TRUST}`,
    },
    {
      key: "apache",
      label: "Apache",
      file: `the <VirtualHost> of ${domain}`,
      text: `# in the <VirtualHost> of ${domain}; needs: a2enmod proxy proxy_http${https ? " ssl" : ""}
${https ? "SSLProxyEngine on\n" : ""}ProxyPreserveHost Off
ProxyPass        /sl/ ${server}/sl/
ProxyPassReverse /sl/ ${server}/sl/`,
      note: `mod_proxy appends the visitor's address to X-Forwarded-For. ${TRUST}`,
    },
    {
      key: "cloudflare",
      label: "Cloudflare",
      file: `a Worker on the route ${domain}/sl/*`,
      text: `// A Worker on the route ${domain}/sl/*
export default {
  async fetch(request) {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.set("X-Forwarded-For", request.headers.get("CF-Connecting-IP") ?? "");
    return fetch(new URL(url.pathname + url.search, "${server}"), {
      method: request.method,
      headers,
      body: request.body,
    });
  },
};`,
      note: `Add the Worker route ${domain}/sl/* in the Cloudflare dashboard (Workers Routes). Requests then reach Sightline from Cloudflare's addresses: ${TRUST} To collect on Cloudflare itself instead, deploy Sightline's own edge Worker on that route (docs/deploy/cloudflare.md).`,
    },
    {
      key: "nextjs",
      label: "Next.js / Vercel",
      file: "next.config.js",
      text: `// next.config.js
module.exports = {
  async rewrites() {
    return [{ source: "/sl/:path*", destination: "${server}/sl/:path*" }];
  },
};`,
      note: `On Vercel without Next.js, the same rewrite goes in vercel.json: {"rewrites": [{"source": "/sl/:path*", "destination": "${server}/sl/:path*"}]}. ${TRUST} A self-hosted Next.js server proxies from its own address; Vercel proxies from addresses it does not publish, so there every visitor shares Vercel's address unless you trust them.`,
    },
    {
      key: "netlify",
      label: "Netlify",
      file: "netlify.toml",
      text: `# netlify.toml
[[redirects]]
  from = "/sl/*"
  to = "${server}/sl/:splat"
  status = 200
  force = true`,
      note: `A status 200 redirect is a proxy: the visitor's browser only ever talks to ${domain}. Netlify proxies from addresses it does not publish and forwards the visitor's address in X-Forwarded-For: ${TRUST}`,
    },
  ];
}
