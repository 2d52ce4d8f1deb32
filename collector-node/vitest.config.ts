import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "collector-node",
    include: ["src/**/*.test.ts"],
  },
});
