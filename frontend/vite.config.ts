import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const backend = "http://127.0.0.1:8080";

// The backend serves dist/ at "/" on the same port as the API, so the app only
// ever calls same-origin /api paths; in dev Vite forwards those to the backend.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The lazily loaded chart chunk is ECharts core plus two chart types (~540 kB raw,
    // ~180 kB gzip); warn only if it grows past that.
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { "/api": backend } },
  preview: { proxy: { "/api": backend } },
});
