import { defineConfig } from "vitest/config";

// Node-side checks of the Worker: the wrangler bundle (`wrangler deploy --dry-run`).
export default defineConfig({
  test: {
    name: "edge-worker-deploy",
    include: ["src/worker/node/**/*.spec.ts"],
    testTimeout: 120_000,
  },
});
