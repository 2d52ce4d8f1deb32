import { createHmac, timingSafeEqual } from "node:crypto";
import type { OidcSettings } from "@sightline/config";
import * as client from "openid-client";
import { errors } from "../errors.ts";
import { ROLE_RANK, type SiteRole } from "./permissions.ts";

// The settings' role names are this package's SiteRole, checked by the compiler: a role added to
// permissions.ts and not to the settings schema (or the other way) fails the typecheck.
type RuleRole = OidcSettings["roles"][number]["sites"][string];
const sameRoles: [RuleRole, SiteRole] extends [SiteRole, RuleRole] ? true : never = true;
void sameRoles;

/** What the start of a sign-in leaves with the browser, for the callback to check. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  /** Epoch ms after which the attempt is void. */
  expiresAt: number;
}

/** A sign-in attempt lasts this long: the time to sign in at the provider. */
export const PENDING_TTL_MS = 10 * 60_000;

/**
 * The pending sign-in as a cookie value: JSON, base64url, with an HMAC so the browser can hold
 * it but not forge or alter it (state, nonce and PKCE verifier stay bound to this browser). The
 * cookie is HttpOnly, so no script reads the verifier.
 */
export class PendingSeal {
  readonly #key: Buffer;

  constructor(secret: string) {
    // A key of its own, derived from the JWT secret, so a sealed attempt is never a valid JWT.
    this.#key = createHmac("sha256", secret).update("sightline oidc pending sign-in").digest();
  }

  seal(pending: PendingSignIn): string {
    const body = Buffer.from(JSON.stringify(pending)).toString("base64url");
    return `${body}.${this.#mac(body)}`;
  }

  /** The attempt, or null when the value is missing, forged, altered or past its expiry. */
  open(value: string | undefined, now: number): PendingSignIn | null {
    const [body, mac] = (value ?? "").split(".");
    if (!body || !mac) return null;
    const expected = Buffer.from(this.#mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const pending = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as PendingSignIn;
      return typeof pending.expiresAt === "number" && pending.expiresAt > now ? pending : null;
    } catch {
      return null;
    }
  }

  #mac(body: string): string {
    return createHmac("sha256", this.#key).update(body).digest("base64url");
  }
}

/** The roles a person's claims map to (auth.oidc.roles). */
export interface MappedRoles {
  instanceAdmin: boolean;
  roles: Record<string, SiteRole>;
  /** The claim values that matched a rule. */
  matched: string[];
}

/** The claim's values: a string, or the strings of a list; anything else holds none. */
function claimValues(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/**
 * Every rule whose value the claim holds applies; per site the highest role wins. Sites that do
 * not exist (`known`) are left out. Null when no rule matches: that person may not sign in.
 */
export function mapClaims(
  settings: Pick<OidcSettings, "roleClaim" | "roles">,
  claims: Readonly<Record<string, unknown>>,
  known: readonly string[],
): MappedRoles | null {
  const values = new Set(claimValues(claims[settings.roleClaim]));
  const rules = settings.roles.filter((rule) => values.has(rule.value));
  if (rules.length === 0) return null;
  const sites = new Set(known);
  const roles: Record<string, SiteRole> = {};
  for (const rule of rules) {
    for (const [site, role] of Object.entries(rule.sites)) {
      if (!sites.has(site)) continue;
      const current = roles[site];
      if (!current || ROLE_RANK[role] > ROLE_RANK[current]) roles[site] = role;
    }
  }
  return {
    instanceAdmin: rules.some((rule) => rule.instanceAdmin),
    roles,
    matched: [...new Set(rules.map((rule) => rule.value))],
  };
}

/** Why someone is refused: what their claim held, and which values the rules know. */
export function unmappedReason(
  settings: Pick<OidcSettings, "roleClaim" | "roles">,
  claims: Readonly<Record<string, unknown>>,
): string {
  const held = claimValues(claims[settings.roleClaim]);
  const known = settings.roles.map((rule) => `"${rule.value}"`).join(", ");
  const has =
    held.length === 0
      ? `your account's claim "${settings.roleClaim}" is empty or missing`
      : `your account's claim "${settings.roleClaim}" holds ${held.map((v) => `"${v}"`).join(", ")}`;
  return `No role mapping matches: ${has}, and Sightline maps only ${known} (auth.oidc.roles). Ask an admin to give you access.`;
}

/** The person the provider vouched for. */
export interface OidcIdentity {
  subject: string;
  email: string;
  /** The ID token's claims, with the userinfo answer's on top. */
  claims: Record<string, unknown>;
}

/**
 * The relying party: discovery (once, retried after a failure), the authorization URL with
 * state, nonce and PKCE (S256), and the code exchange with its checks (openid-client).
 */
export class OidcClient {
  readonly #settings: OidcSettings;
  #config: Promise<client.Configuration> | null = null;

  constructor(settings: OidcSettings) {
    this.#settings = settings;
  }

  #configuration(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret } = this.#settings;
    this.#config ??= client
      .discovery(
        new URL(issuer),
        clientId,
        undefined,
        clientSecret ? client.ClientSecretBasic(clientSecret) : client.None(),
        // The settings allow http:// for localhost only (config/src/settings.ts).
        issuer.startsWith("http:") ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        this.#config = null;
        throw error;
      });
    return this.#config;
  }

  /** The provider's authorization URL for a new attempt, and the attempt to keep. */
  async start(redirectUri: string, now: number): Promise<{ url: URL; pending: PendingSignIn }> {
    const config = await this.#configuration().catch(() => {
      throw errors.oidcUnavailable();
    });
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      redirectUri,
      expiresAt: now + PENDING_TTL_MS,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.#settings.scopes.join(" "),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: "S256",
    });
    return { url, pending };
  }

  /**
   * Checks the callback against the attempt, swaps the code for tokens and validates the ID
   * token (signature, issuer, audience, expiry, nonce). `query` is the callback's query string.
   */
  async finish(query: URLSearchParams, pending: PendingSignIn): Promise<OidcIdentity> {
    if (query.get("state") !== pending.state) throw errors.oidcStateMismatch();
    const denied = query.get("error");
    if (denied) throw errors.oidcDenied(denied, query.get("error_description") ?? "");
    const config = await this.#configuration().catch(() => {
      throw errors.oidcUnavailable();
    });
    const current = new URL(pending.redirectUri);
    current.search = query.toString();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw exchangeError(error);
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw errors.oidcInvalidResponse("the answer holds no ID token");
    let claims: Record<string, unknown> = { ...idClaims };
    // Many providers put email and groups in the userinfo answer only.
    if (config.serverMetadata().userinfo_endpoint) {
      try {
        const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...claims, ...info };
      } catch (error) {
        throw exchangeError(error);
      }
    }
    const email = claims.email;
    if (typeof email !== "string" || email === "") {
      throw errors.oidcUnmapped(
        'The provider sent no email for your account: Sightline needs the "email" claim (add the email scope to auth.oidc.scopes)',
      );
    }
    if (claims.email_verified === false) {
      throw errors.oidcUnmapped(
        `The provider has not verified the email ${email}: verify it there, then sign in again`,
      );
    }
    return { subject: idClaims.sub, email, claims };
  }
}

/** The provider's refusal or a failed check, as an answer that names it. */
function exchangeError(error: unknown): Error {
  if (error instanceof client.ResponseBodyError) {
    if (error.error === "invalid_grant")
      return errors.oidcCodeInvalid(error.error_description ?? "");
    return errors.oidcInvalidResponse(
      `${error.error}${error.error_description ? ` (${error.error_description})` : ""}`,
    );
  }
  if (error instanceof client.AuthorizationResponseError) {
    return errors.oidcDenied(error.error, error.error_description ?? "");
  }
  if (error instanceof client.ClientError) return errors.oidcInvalidResponse(error.message);
  return errors.oidcUnavailable();
}
