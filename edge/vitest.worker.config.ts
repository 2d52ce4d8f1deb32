import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig, type Plugin } from "vitest/config";

const TRACKER = "@sightline/tracker/dist/s.js";
const TRACKER_ID = "\0sightline-tracker-text";

/**
 * Wrangler bundles the built tracker as a Text module ([[rules]] in wrangler.toml). The pool
 * cannot load Text modules from outside edge/ (tracker/ is a sibling), so the tests get the same
 * thing from this plugin: the file's text as the default export.
 */
function trackerAsText(): Plugin {
  return {
    name: "sightline-tracker-text",
    enforce: "pre",
    resolveId: (id) => (id === TRACKER ? TRACKER_ID : undefined),
    load(id) {
      if (id !== TRACKER_ID) return undefined;
      const path = fileURLToPath(new URL("../tracker/dist/s.js", import.meta.url));
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch {
        throw new Error(`${path} is missing: run "pnpm build" first`);
      }
      return `export default ${JSON.stringify(text)};`;
    },
  };
}

// The Worker's tests run inside workerd (Miniflare), configured from wrangler.toml plus test
// bindings. The sinks are a local HTTP receiver started by the global setup.
const TEST_SITES = [
  { id: "shop.example", domains: ["shop.example"] },
  { id: "blog.example", domains: ["blog.example", "news.example"] },
];

export default defineConfig({
  plugins: [
    trackerAsText(),
    cloudflareTest(({ inject }) => {
      const receiver = inject("receiverUrl");
      return {
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          // No cf object is fetched: under Vitest (NODE_ENV=test) Miniflare uses its built-in
          // one, and the tests pass their own `cf` per request.
          bindings: {
            SITES_JSON: JSON.stringify(TEST_SITES),
            SINK: "ndjson",
            SINK_URL: `${receiver}/ndjson`,
            SINK_TOKEN: "test-sink-token",
            RETRY_BASE_SECONDS: "0",
            RECEIVER_URL: receiver,
          },
          // A KV namespace for the tests of the KV-backed site directory.
          kvNamespaces: ["SITES_TEST"],
          // A tight limiter for the 429 tests (the wrangler.toml one allows 3000/min).
          ratelimits: { RATE_LIMIT_TEST: { simple: { limit: 2, period: 60 } } },
          queueConsumers: {
            "sightline-events": {
              maxBatchSize: 100,
              maxBatchTimeout: 1,
              maxRetries: 2,
              deadLetterQueue: "sightline-events-dlq",
            },
          },
          workers: [
            {
              // Reads the dead-letter queue and reports each message to the receiver.
              name: "dlq-reader",
              modules: true,
              compatibilityDate: "2026-04-20",
              bindings: { RECEIVER_URL: receiver },
              queueConsumers: { "sightline-events-dlq": { maxBatchTimeout: 1 } },
              script: `export default {
                async queue(batch, env) {
                  for (const message of batch.messages) {
                    await fetch(env.RECEIVER_URL + "/dlq", { method: "POST", body: message.body });
                    message.ack();
                  }
                },
              };`,
            },
          ],
        },
      };
    }),
  ],
  test: {
    name: "edge-worker",
    include: ["src/worker/**/*.spec.ts"],
    exclude: ["src/worker/node/**"],
    globalSetup: ["src/worker/node/receiver.ts"],
    // CommonJS dependencies of the core are pre-bundled to ESM for workerd (wrangler's esbuild
    // does the same for the deployed bundle).
    deps: { optimizer: { ssr: { enabled: true, include: ["ua-parser-js"] } } },
  },
});
