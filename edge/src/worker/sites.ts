import { z } from "zod";
import type { SiteDirectory, SiteInfo } from "../index.ts";
import { type Env, numberVar } from "./env.ts";

const directorySchema = z.array(
  z.object({ id: z.string().min(1), domains: z.array(z.string().min(1)) }).strict(),
);

/** Parses the site directory JSON (`[{"id": "...", "domains": ["..."]}]`), naming what is wrong. */
export function parseSiteDirectory(text: string, source: string): Map<string, SiteInfo> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not valid JSON`);
  }
  const parsed = directorySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: ${issue?.path.join(".") || "value"}: ${issue?.message}`);
  }
  return new Map(parsed.data.map((site) => [site.id, site]));
}

/**
 * The site directory, loaded from its source and kept in memory for `ttlMs`. When a reload fails
 * the last good copy is kept (and the error logged), so a bad edit in KV does not drop traffic.
 */
export class CachedSiteDirectory implements SiteDirectory {
  readonly #load: () => Promise<string>;
  readonly #source: string;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #sites: Map<string, SiteInfo> | undefined;
  #loadedAt = 0;
  #pending: Promise<Map<string, SiteInfo>> | undefined;

  constructor(load: () => Promise<string>, source: string, ttlMs: number, now = Date.now) {
    this.#load = load;
    this.#source = source;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  async get(siteId: string): Promise<SiteInfo | undefined> {
    if (!this.#sites || this.#now() - this.#loadedAt >= this.#ttlMs) {
      this.#pending ??= this.#reload().finally(() => {
        this.#pending = undefined;
      });
      await this.#pending;
    }
    return this.#sites?.get(siteId);
  }

  async #reload(): Promise<Map<string, SiteInfo>> {
    try {
      const sites = parseSiteDirectory(await this.#load(), this.#source);
      this.#sites = sites;
      this.#loadedAt = this.#now();
      return sites;
    } catch (error) {
      if (!this.#sites) throw error;
      console.error(`sightline: keeping the previous site directory: ${(error as Error).message}`);
      this.#loadedAt = this.#now();
      return this.#sites;
    }
  }
}

const directories = new Map<string, CachedSiteDirectory>();

/** The directory for this Worker's configuration: the `SITES` KV namespace when bound, else `SITES_JSON`. */
export function siteDirectoryFor(env: Env): CachedSiteDirectory {
  const ttlMs = numberVar(env.SITES_TTL_SECONDS, 60) * 1000;
  const kv = env.SITES;
  const kvKey = env.SITES_KEY ?? "sites";
  const cacheKey = kv ? `kv:${kvKey}:${ttlMs}` : `var:${env.SITES_JSON ?? ""}`;
  let directory = directories.get(cacheKey);
  if (!directory) {
    directory = kv
      ? new CachedSiteDirectory(
          async () => {
            const text = await kv.get(kvKey);
            if (text === null) throw new Error(`KV key "${kvKey}" in SITES is missing`);
            return text;
          },
          `KV SITES/${kvKey}`,
          ttlMs,
        )
      : new CachedSiteDirectory(
          async () => {
            if (env.SITES_JSON === undefined)
              throw new Error("neither SITES (KV) nor SITES_JSON is set");
            return env.SITES_JSON;
          },
          "SITES_JSON",
          Number.POSITIVE_INFINITY,
        );
    directories.set(cacheKey, directory);
  }
  return directory;
}
