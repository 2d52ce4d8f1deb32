import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "collector-node",
    include: ["src/**/*.test.ts"],
    // chDB binds one data folder per process: every test file gets its own process.
    pool: "forks",
  },
});
