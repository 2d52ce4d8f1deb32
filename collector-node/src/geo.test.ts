import { describe, expect, it } from "vitest";
import { bundledGeoDatabase, openGeoLookup } from "./geo.ts";

const geo = openGeoLookup();

// Addresses from well-known allocations; DB-IP's country for each is stable.
const PUBLIC: [ip: string, country: string][] = [
  ["8.8.8.8", "US"], // Google DNS
  ["1.1.1.1", "AU"], // APNIC/Cloudflare research prefix, registered in Australia
  ["81.2.69.142", "GB"],
  ["193.0.6.139", "NL"], // RIPE NCC
  ["133.11.0.1", "JP"], // University of Tokyo
  ["2a00:1450:4001::1", "DE"], // Google, Frankfurt
  ["::ffff:8.8.8.8", "US"], // IPv4-mapped, as Node reports dual-stack peers
];

const PRIVATE = [
  "127.0.0.1",
  "10.1.2.3",
  "172.16.5.4",
  "192.168.1.1",
  "169.254.0.1",
  "::1",
  "fc00::1",
  "fe80::1",
  "0.0.0.0",
];

describe("openGeoLookup over the bundled DB-IP country database", () => {
  it("ships inside the npm package", () => {
    expect(bundledGeoDatabase()).toMatch(
      /@ip-location-db[/\\]dbip-country-mmdb[/\\]dbip-country\.mmdb$/,
    );
  });

  it.each(PUBLIC)("%s is in %s", (ip, country) => {
    expect(geo(ip)).toEqual({ country, region: "", city: "" });
  });

  it.each(PRIVATE)("%s (private, loopback or link-local) has no country", (ip) => {
    expect(geo(ip)?.country ?? "").toBe("");
  });

  it("gives nothing for text that is not an IP", () => {
    expect(geo("not-an-ip")).toBeUndefined();
    expect(geo("")).toBeUndefined();
  });

  it("names the file when it cannot be read", () => {
    expect(() => openGeoLookup("/nonexistent/geo.mmdb")).toThrow(/collector.geoDatabase.*geo.mmdb/);
  });
});
