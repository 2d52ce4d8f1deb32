import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { durationMs, loadSettings, SettingsError, wholeFileMaxBytes } from "./settings.ts";

function dir(yaml?: string): string {
  const d = mkdtempSync(join(tmpdir(), "sl-settings-"));
  if (yaml !== undefined) writeFileSync(join(d, "sightline.yaml"), yaml);
  return d;
}

describe("loadSettings", () => {
  it("gives safe defaults without a file", () => {
    const cwd = dir();
    const s = loadSettings({ cwd, env: {} });
    expect(s.configFile).toBeNull();
    expect(s.server).toEqual({ host: "127.0.0.1", port: 8080, trustedProxies: [] });
    expect(s.dataDir).toBe(join(cwd, "data"));
    expect(s.spool.dir).toBe(join(cwd, "data", "spool"));
    expect(s.clickhouse.url).toBe("");
    expect(s.auth.jwtSecret).toBe("");
  });

  it("reads sightline.yaml and lets the environment override it", () => {
    const cwd = dir("server:\n  port: 9000\n  host: 0.0.0.0\nshipper:\n  enabled: true\n");
    const s = loadSettings({
      cwd,
      env: {
        SIGHTLINE_SERVER_PORT: "9100",
        SIGHTLINE_SHIPPER_ENABLED: "false",
        SIGHTLINE_SERVER_TRUSTED_PROXIES: "10.0.0.0/8, 127.0.0.1",
        SIGHTLINE_CLICKHOUSE_URL: "https://ch.internal:8443",
        SIGHTLINE_DATA_DIR: "/var/lib/sightline",
      },
    });
    expect(s.server.port).toBe(9100);
    expect(s.server.host).toBe("0.0.0.0");
    expect(s.shipper.enabled).toBe(false);
    expect(s.server.trustedProxies).toEqual(["10.0.0.0/8", "127.0.0.1"]);
    expect(s.clickhouse.url).toBe("https://ch.internal:8443");
    expect(s.dataDir).toBe("/var/lib/sightline");
  });

  it("names the bad key and why, including the variable it came from", () => {
    const cwd = dir("server:\n  port: 70000\n");
    expect(() => loadSettings({ cwd, env: {} })).toThrow(/server\.port: .*65535/);
    expect(() => loadSettings({ cwd: dir(), env: { SIGHTLINE_SERVER_PORT: "eighty" } })).toThrow(
      /server\.port \(from SIGHTLINE_SERVER_PORT\): .*number/,
    );
    expect(() =>
      loadSettings({ cwd: dir(), env: { SIGHTLINE_CLICKHOUSE_URL: "ftp://x" } }),
    ).toThrow(/clickhouse\.url .*http/);
    expect(() => loadSettings({ cwd: dir(), env: { SIGHTLINE_AUTH_JWT_SECRET: "short" } })).toThrow(
      /auth\.jwtSecret .*32 characters/,
    );
  });

  it("refuses spool files too large for the embedded engine to read whole, naming both settings", () => {
    const env = { SIGHTLINE_SPOOL_MAX_FILE_BYTES: String(128 << 20) };
    expect(() => loadSettings({ cwd: dir(), env })).toThrow(
      /spool\.maxFileBytes \(from SIGHTLINE_SPOOL_MAX_FILE_BYTES\): must be at most 2 × shipper\.batchBytes \(67108864 bytes\)/,
    );
    expect(() => loadSettings({ cwd: dir("shipper:\n  batchBytes: 1048576\n"), env: {} })).toThrow(
      /spool\.maxFileBytes: .*shipper\.batchBytes \(2097152 bytes\).*raise shipper\.batchBytes/,
    );
    // Raised together, or a ClickHouse server (which never reads spool files), it is fine.
    const both = { ...env, SIGHTLINE_SHIPPER_BATCH_BYTES: String(64 << 20) };
    expect(loadSettings({ cwd: dir(), env: both }).spool.maxFileBytes).toBe(128 << 20);
    const server = { ...env, SIGHTLINE_CLICKHOUSE_URL: "http://ch.internal:8123" };
    expect(loadSettings({ cwd: dir(), env: server }).spool.maxFileBytes).toBe(128 << 20);
    expect(wholeFileMaxBytes(32 << 20)).toBe(64 << 20);
  });

  it("refuses unknown keys, naming them", () => {
    const cwd = dir("server:\n  prot: 80\n");
    expect(() => loadSettings({ cwd, env: {} })).toThrow(SettingsError);
    expect(() => loadSettings({ cwd, env: {} })).toThrow(/server\.prot: is not a known setting/);
  });

  it("refuses a config file that is missing when named explicitly", () => {
    expect(() => loadSettings({ cwd: dir(), env: { SIGHTLINE_CONFIG: "nope.yaml" } })).toThrow(
      /Cannot read config file .*nope\.yaml/,
    );
  });

  it("parses durations", () => {
    expect(durationMs("30m")).toBe(1_800_000);
    expect(durationMs("12h")).toBe(43_200_000);
    expect(durationMs("7d")).toBe(604_800_000);
  });
});

describe("auth.oidc", () => {
  const rules =
    "    roles:\n      - value: staff\n        sites: { example.com: viewer }\n      - value: ops\n        instanceAdmin: true\n";

  it("reads the provider, the client and the claim-to-role rules, with env overrides", () => {
    const cwd = dir(
      `auth:\n  oidc:\n    enabled: true\n    issuer: https://id.example.com\n    clientId: sightline\n${rules}`,
    );
    const s = loadSettings({ cwd, env: { SIGHTLINE_AUTH_OIDC_CLIENT_SECRET: "s3cret" } });
    expect(s.auth.oidc).toMatchObject({
      enabled: true,
      issuer: "https://id.example.com",
      clientId: "sightline",
      clientSecret: "s3cret",
      scopes: ["openid", "email", "profile"],
      roleClaim: "groups",
      createUsers: true,
      roles: [
        { value: "staff", instanceAdmin: false, sites: { "example.com": "viewer" } },
        { value: "ops", instanceAdmin: true, sites: {} },
      ],
    });
  });

  it("names each missing or unsafe setting when enabled", () => {
    const cwd = dir(
      "auth:\n  oidc:\n    enabled: true\n    issuer: http://id.example.com\n    scopes: [email]\n",
    );
    let message = "";
    try {
      loadSettings({ cwd, env: {} });
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      message = (error as Error).message;
    }
    expect(message).toContain("auth.oidc.clientId: is required when auth.oidc.enabled is true");
    expect(message).toContain("auth.oidc.issuer: must be an https:// URL");
    expect(message).toContain('auth.oidc.scopes: must include "openid"');
    expect(message).toContain("auth.oidc.roles: must hold at least one rule");
  });

  it("refuses a rule that gives no role and a role that does not exist", () => {
    const empty = dir("auth:\n  oidc:\n    roles:\n      - value: staff\n");
    expect(() => loadSettings({ cwd: empty, env: {} })).toThrow(
      /auth\.oidc\.roles\.0: gives no role: set instanceAdmin: true or sites/,
    );
    const unknown = dir(
      "auth:\n  oidc:\n    roles:\n      - value: ops\n        sites: { a.com: boss }\n",
    );
    expect(() => loadSettings({ cwd: unknown, env: {} })).toThrow(
      /auth\.oidc\.roles\.0\.sites\.a\.com: must be owner, admin, editor or viewer/,
    );
  });

  it("allows http:// issuers on localhost only", () => {
    const cwd = dir(
      `auth:\n  oidc:\n    enabled: true\n    issuer: http://127.0.0.1:9999\n    clientId: x\n${rules}`,
    );
    expect(loadSettings({ cwd, env: {} }).auth.oidc.issuer).toBe("http://127.0.0.1:9999");
  });
});
