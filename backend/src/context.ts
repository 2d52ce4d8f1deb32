import type { TrackerAsset } from "@sightline/collector-node";
import type { ClickHouse, Settings } from "@sightline/config";
import type { SaltStore } from "@sightline/edge";
import type { SetupToken } from "./auth/setup-token.ts";
import type { Readiness } from "./health.ts";
import type { MetaStore } from "./store/store.ts";

/** What the routes need from the running stack. */
export interface AppContext {
  settings: Settings;
  ch: Pick<ClickHouse, "read" | "stream">;
  store: MetaStore;
  jwtSecret: string;
  setupToken: SetupToken;
  salts: SaltStore;
  /** Appends NDJSON lines to the spool; resolves after the write. */
  appendToSpool(lines: string): Promise<void>;
  tracker: TrackerAsset;
  /** Tracker plugins by path (`/errors.js`, `/vitals.js`). */
  trackerPlugins: ReadonlyMap<string, TrackerAsset>;
  /** `/readyz`: ClickHouse, spool and shipper checks (src/health.ts). */
  readiness(): Promise<Readiness>;
  /** The built dashboard (frontend/dist). */
  frontendDir: string;
  /**
   * The collector's clock (epoch ms), and the one "the last 5 minutes" or "the last 24 hours"
   * count back from; tests set it to land events on chosen days.
   */
  now?: () => number;
}
