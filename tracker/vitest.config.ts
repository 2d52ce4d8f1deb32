import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "tracker",
    include: ["src/**/*.test.ts"],
    environment: "jsdom",
  },
});
