import { defineConfig } from "vitest/config";

// One runner for the whole workspace: each package is a Vitest project.
export default defineConfig({
  test: {
    projects: [
      "edge",
      // The Cloudflare Worker: tests in workerd, and the wrangler bundle checked from Node.
      "edge/vitest.worker.config.ts",
      "edge/vitest.wrangler.config.ts",
      "config",
      "collector-node",
      "tracker",
      "backend",
      "frontend",
      // Deployment files: Dockerfiles, Compose, Kubernetes, the guides.
      "ops",
    ],
  },
});
