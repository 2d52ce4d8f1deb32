import { readFileSync, statSync } from "node:fs";
import { SiteReader } from "@sightline/config";
import type { SiteDirectory, SiteInfo } from "@sightline/edge";
import { z } from "zod";

const CACHE_MS = 5_000;

/**
 * The backend's sites, read through the shared site reader of @sightline/config (the one
 * definition of the stored record) from its LMDB folder (`<dataDir>/lmdb`): LMDB is safe to share
 * between processes on one machine. Lookups are cached for 5 seconds, unknown ids too, so a flood
 * of requests for a bogus site costs no reads.
 */
export class LmdbSiteDirectory implements SiteDirectory {
  readonly #reader: SiteReader;
  readonly #cache = new Map<string, { site: SiteInfo | undefined; until: number }>();

  constructor(path: string) {
    this.#reader = new SiteReader(path);
  }

  get(siteId: string): SiteInfo | undefined {
    const now = Date.now();
    const hit = this.#cache.get(siteId);
    if (hit && hit.until > now) return hit.site;
    const value = this.#reader.get(siteId);
    const site = value ? { id: value.id, domains: value.domains } : undefined;
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(siteId, { site, until: now + CACHE_MS });
    return site;
  }

  async close(): Promise<void> {
    await this.#reader.close();
  }
}

const sitesFileSchema = z.array(
  z.object({ id: z.string().min(1).max(253), domains: z.array(z.string().min(1)).min(1) }),
);

/** Sites from a JSON file (`[{"id": ..., "domains": [...]}]`), re-read when its mtime changes. */
export class FileSiteDirectory implements SiteDirectory {
  readonly #path: string;
  #mtime = -1;
  #checkedAt = 0;
  #sites = new Map<string, SiteInfo>();

  constructor(path: string) {
    this.#path = path;
    this.#reload();
  }

  #reload(): void {
    const mtime = statSync(this.#path).mtimeMs;
    if (mtime === this.#mtime) return;
    let parsed: z.infer<typeof sitesFileSchema>;
    try {
      parsed = sitesFileSchema.parse(JSON.parse(readFileSync(this.#path, "utf8")));
    } catch (error) {
      throw new Error(`collector.sitesFile ${this.#path}: ${(error as Error).message}`);
    }
    this.#sites = new Map(parsed.map((s) => [s.id, { id: s.id, domains: s.domains }]));
    this.#mtime = mtime;
  }

  get(siteId: string): SiteInfo | undefined {
    const now = Date.now();
    if (now - this.#checkedAt > CACHE_MS) {
      this.#checkedAt = now;
      // A broken edit keeps the last good list instead of refusing every event.
      try {
        this.#reload();
      } catch {}
    }
    return this.#sites.get(siteId);
  }
}
