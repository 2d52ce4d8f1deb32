import type { Site } from "../api/types.ts";

// The snippet and the first-party proxy recipes a site owner copies. `server` is where this
// Sightline runs (the dashboard's own origin); the site's domain forwards /sl/ to it.

export function snippetFor(site: Pick<Site, "id">): string {
  return `<script defer src="/sl/s.js" data-site="${site.id}"></script>
<script>window.sightline=window.sightline||function(){(sightline.q=sightline.q||[]).push(arguments)}</script>`;
}

export interface Recipe {
  key: string;
  label: string;
  text: string;
  note: string;
}

const TRUST =
  "Sightline reads the visitor's address from X-Forwarded-For only from proxies listed in server.trustedProxies: add your proxy's address there.";

export function proxyRecipes(server: string, site: Pick<Site, "id" | "domains">): Recipe[] {
  const host = new URL(server).host;
  const domain = site.domains[0] ?? site.id;
  return [
    {
      key: "nginx",
      label: "nginx",
      text: `# in the server block of ${domain}
location /sl/ {
    proxy_pass ${server}/sl/;
    proxy_set_header Host ${host};
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_ssl_server_name on;
    proxy_buffering off;
}`,
      note: TRUST,
    },
    {
      key: "caddy",
      label: "Caddy",
      text: `${domain} {
    handle /sl/* {
        reverse_proxy ${server} {
            header_up Host {upstream_hostport}
        }
    }
    # ... the rest of your site
}`,
      note: `Caddy sets X-Forwarded-For itself. ${TRUST}`,
    },
    {
      key: "cloudflare",
      label: "Cloudflare",
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
      note: `Add the Worker route ${domain}/sl/* in the Cloudflare dashboard (Workers Routes). Requests then reach Sightline from Cloudflare's addresses: ${TRUST}`,
    },
    {
      key: "nextjs",
      label: "Next.js / Vercel",
      text: `// next.config.js
module.exports = {
  async rewrites() {
    return [{ source: "/sl/:path*", destination: "${server}/sl/:path*" }];
  },
};`,
      note: `On Vercel without Next.js, the same rewrite goes in vercel.json: {"rewrites": [{"source": "/sl/:path*", "destination": "${server}/sl/:path*"}]}. ${TRUST}`,
    },
  ];
}
