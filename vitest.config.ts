import { defineConfig } from "vitest/config";

// One runner for the whole workspace: each package is a Vitest project.
export default defineConfig({
  test: {
    projects: ["edge", "config", "collector-node", "tracker", "backend", "frontend"],
  },
});
