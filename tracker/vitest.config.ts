import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "tracker",
    // Unit tests run in jsdom; e2e/*.test.ts drive real Chromium and choose the node environment.
    include: ["src/**/*.test.ts", "e2e/**/*.test.ts"],
    environment: "jsdom",
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
