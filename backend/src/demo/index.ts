export {
  DEFAULT_SITE_IDS,
  type DemoSite,
  demoSite,
  isDemoSiteId,
  type SiteKind,
} from "./catalog.ts";
export { type DemoOptions, generateEvents, newRunId, TRACKER_VERSION } from "./generate.ts";
export { DemoLineEncoder } from "./line.ts";
export { type DemoSpoolOptions, DemoSpoolWriter, demoSpoolFileName } from "./spool-files.ts";
