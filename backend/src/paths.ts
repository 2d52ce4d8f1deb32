import { fileURLToPath } from "node:url";

/** Build outputs of sibling packages, served by the all-in-one process. */
export const TRACKER_BUNDLE = fileURLToPath(new URL("../../tracker/dist/s.js", import.meta.url));
export const FRONTEND_DIR = fileURLToPath(new URL("../../frontend/dist", import.meta.url));
