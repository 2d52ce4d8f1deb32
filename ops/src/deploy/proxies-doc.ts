// Renders docs/deploy/proxies.md from the recipes the dashboard shows (frontend/src/sites/recipes.ts),
// so the guide and the setup page never disagree.
//   tsx ops/src/deploy/proxies-doc.ts --write    rewrite the file
// proxies-doc.test.ts fails while the committed file differs from what this renders.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { proxyRecipes, snippetFor } from "../../../frontend/src/sites/recipes.ts";

export const PROXIES_DOC = fileURLToPath(
  new URL("../../../docs/deploy/proxies.md", import.meta.url),
);

/** The example a reader substitutes: where Sightline runs, and the site that forwards to it. */
export const EXAMPLE = {
  server: "https://sightline.example.net",
  site: { id: "example.com", domains: ["example.com"] },
};

const LANGUAGE: Record<string, string> = {
  nginx: "nginx",
  caddy: "caddyfile",
  apache: "apache",
  cloudflare: "js",
  nextjs: "js",
  netlify: "toml",
};

export function renderProxiesDoc(): string {
  const recipes = proxyRecipes(EXAMPLE.server, EXAMPLE.site);
  const sections = recipes.map(
    (r) => `## ${r.label}

In ${r.file}:

\`\`\`${LANGUAGE[r.key] ?? ""}
${r.text}
\`\`\`

${r.note}
`,
  );
  return `<!-- Rendered from frontend/src/sites/recipes.ts by ops/src/deploy/proxies-doc.ts: edit the recipes there, then run
     npx tsx ops/src/deploy/proxies-doc.ts --write -->
# First-party proxy recipes

The tracker loads from \`/sl/s.js\` on the site's own domain and sends events to \`/sl/e\` beside
it. One path on the site's web server forwards \`/sl/*\` to Sightline, so every request stays
first-party. These are the recipes the dashboard shows on a new site's page, with its own address
filled in; here Sightline runs at \`${EXAMPLE.server}\` and the site is \`${EXAMPLE.site.id}\`.

The snippet for the site's pages:

\`\`\`html
${snippetFor(EXAMPLE.site)}
\`\`\`

## The visitor's address

Sightline counts cookieless visitors by a daily-salted hash of the address and the user agent,
and rate-limits by address. Behind a proxy the connection comes from the proxy, so Sightline reads
\`X-Forwarded-For\` instead, but only from peers listed in \`server.trustedProxies\`
(\`SIGHTLINE_SERVER_TRUSTED_PROXIES\`, IPs or CIDRs), and from the right: the first hop that is not
itself a trusted proxy is the visitor. An \`X-Forwarded-For\` that a visitor sends, or that reaches
Sightline from any other peer, is ignored. Without the setting every visitor behind the proxy has
the proxy's address and they all count as one. See
[collector-node/README.md](../../collector-node/README.md#proxy-trust-rules).

CI runs the nginx and Caddy recipes exactly as written here, with Debian's nginx and Caddy in front
of a real stack and Chromium as the visitor (\`backend/e2e/proxies.e2e.test.ts\`): two visitors from
two addresses count as two, and a forged \`X-Forwarded-For\` changes nothing.

${sections.join("\n")}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes("--write")) {
  writeFileSync(PROXIES_DOC, renderProxiesDoc());
  console.log(`wrote ${PROXIES_DOC}`);
}
