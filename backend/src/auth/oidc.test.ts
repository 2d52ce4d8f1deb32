import type { OidcSettings } from "@sightline/config";
import { describe, expect, it } from "vitest";
import {
  mapClaims,
  PENDING_TTL_MS,
  PendingSeal,
  type PendingSignIn,
  unmappedReason,
} from "./oidc.ts";

const settings: Pick<OidcSettings, "roleClaim" | "roles"> = {
  roleClaim: "groups",
  roles: [
    { value: "ops", instanceAdmin: true, sites: {} },
    { value: "staff", instanceAdmin: false, sites: { "a.test": "viewer" } },
    {
      value: "editors",
      instanceAdmin: false,
      sites: { "a.test": "editor", "b.test": "viewer" },
    },
  ],
};

describe("mapClaims", () => {
  it("applies every matching rule, the highest role per site, known sites only", () => {
    expect(mapClaims(settings, { groups: ["staff", "editors", "other"] }, ["a.test"])).toEqual({
      instanceAdmin: false,
      roles: { "a.test": "editor" },
      matched: ["staff", "editors"],
    });
    expect(mapClaims(settings, { groups: "ops" }, [])).toEqual({
      instanceAdmin: true,
      roles: {},
      matched: ["ops"],
    });
  });

  it("maps nobody whose claim is missing, of another type or matches no rule", () => {
    expect(mapClaims(settings, {}, ["a.test"])).toBeNull();
    expect(mapClaims(settings, { groups: 42 }, ["a.test"])).toBeNull();
    expect(mapClaims(settings, { groups: [{ name: "ops" }] }, ["a.test"])).toBeNull();
    expect(mapClaims(settings, { groups: ["guests"] }, ["a.test"])).toBeNull();
    expect(mapClaims({ ...settings, roleClaim: "roles" }, { groups: ["ops"] }, [])).toBeNull();
  });

  it("says why someone is unmapped", () => {
    expect(unmappedReason(settings, { groups: ["guests"] })).toBe(
      'No role mapping matches: your account\'s claim "groups" holds "guests", and Sightline maps only "ops", "staff", "editors" (auth.oidc.roles). Ask an admin to give you access.',
    );
    expect(unmappedReason(settings, {})).toContain('claim "groups" is empty or missing');
  });
});

describe("PendingSeal", () => {
  const pending: PendingSignIn = {
    state: "s",
    nonce: "n",
    codeVerifier: "v",
    redirectUri: "http://127.0.0.1/cb",
    expiresAt: 1_000 + PENDING_TTL_MS,
  };

  it("opens what it sealed until it expires", () => {
    const seal = new PendingSeal("a secret of at least thirty-two characters");
    const value = seal.seal(pending);
    expect(seal.open(value, 1_000)).toEqual(pending);
    expect(seal.open(value, pending.expiresAt)).toBeNull();
  });

  it("refuses altered, forged, foreign and empty values", () => {
    const seal = new PendingSeal("a secret of at least thirty-two characters");
    const other = new PendingSeal("another secret of thirty-two characters!");
    const value = seal.seal(pending);
    const [, mac] = value.split(".");
    const altered = `${Buffer.from(JSON.stringify({ ...pending, state: "x" })).toString("base64url")}.${mac}`;
    expect(seal.open(altered, 1_000)).toBeNull();
    expect(seal.open(other.seal(pending), 1_000)).toBeNull();
    expect(seal.open(undefined, 1_000)).toBeNull();
    expect(seal.open("garbage", 1_000)).toBeNull();
    expect(seal.open(`${value}x`, 1_000)).toBeNull();
  });
});
