/** Where a client is, as far as the data knows: ISO 3166-1 alpha-2 country, region, city. */
export interface GeoInfo {
  country: string;
  region: string;
  city: string;
}

export const NO_GEO: GeoInfo = Object.freeze({ country: "", region: "", city: "" });

/** Looks an IP up (an MMDB file in Node). The Worker passes `request.cf` values as input instead. */
export type GeoLookup = (ip: string) => GeoInfo | undefined;

/** Normalises values from any source: an upper-case 2-letter country or nothing, short strings. */
export function cleanGeo(geo: Partial<GeoInfo> | undefined | null): GeoInfo {
  if (!geo) return NO_GEO;
  const country = (geo.country ?? "").toUpperCase();
  return {
    // "XX"/"T1" are Cloudflare's unknown/Tor markers: not a country.
    country: /^[A-Z]{2}$/.test(country) && country !== "XX" && country !== "T1" ? country : "",
    region: (geo.region ?? "").slice(0, 128),
    city: (geo.city ?? "").slice(0, 128),
  };
}
