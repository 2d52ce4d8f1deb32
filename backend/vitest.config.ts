import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "backend",
    include: ["src/**/*.test.ts", "e2e/**/*.test.ts"],
    // chDB binds one data folder per process: every test file gets its own process.
    pool: "forks",
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
