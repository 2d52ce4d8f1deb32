import { type CollectDeps, collect, hmacHex, LIMITS, utcDay } from "../index.ts";
import { readBody } from "./body.ts";
import { type ClientInfo, clientInfo } from "./client.ts";
import { type Env, flagVar, numberVar } from "./env.ts";
import { enqueueRows } from "./producer.ts";
import { corsHeaders, errorResponse } from "./respond.ts";
import { DurableSaltStore } from "./salts.ts";
import { siteDirectoryFor } from "./sites.ts";

export interface IngestOutcome {
  status: 204 | 400 | 403 | 413 | 429 | 503;
  body?: { status: number; code: string; error: string };
  /** Seconds, for a 429. */
  retryAfter?: number;
  accepted: number;
  rejected: Record<string, number>;
}

const saltStores = new WeakMap<object, DurableSaltStore>();
const queryKeySets = new Map<string, ReadonlySet<string>>();

function saltsFor(env: Env): DurableSaltStore {
  let salts = saltStores.get(env.SALTS);
  if (!salts) {
    salts = new DurableSaltStore(env.SALTS);
    saltStores.set(env.SALTS, salts);
  }
  return salts;
}

function extraQueryKeys(env: Env): ReadonlySet<string> {
  const raw = env.EXTRA_QUERY_KEYS ?? "";
  let keys = queryKeySets.get(raw);
  if (!keys) {
    keys = new Set(
      raw
        .split(",")
        .map((key) => key.trim().toLowerCase())
        .filter((key) => key !== ""),
    );
    queryKeySets.set(raw, keys);
  }
  return keys;
}

function depsFor(env: Env): CollectDeps {
  return {
    salts: saltsFor(env),
    sites: siteDirectoryFor(env),
    extraQueryKeys: extraQueryKeys(env),
    cookieless: flagVar(env.COOKIELESS, false),
  };
}

function unavailable(code: string, error: string): IngestOutcome {
  return { status: 503, body: { status: 503, code, error }, accepted: 0, rejected: {} };
}

function rateLimited(env: Env, error: string): IngestOutcome {
  return {
    status: 429,
    body: { status: 429, code: "RATE_LIMITED", error },
    retryAfter: numberVar(env.RATE_LIMIT_PERIOD_SECONDS, 60),
    accepted: 0,
    rejected: {},
  };
}

/** The rate limiter sees a salted hash of the IP, never the IP itself. */
async function clientAllowed(env: Env, ip: string, now: number): Promise<boolean> {
  if (!env.RATE_LIMIT_IP) return true;
  const salt = await saltsFor(env).saltFor(utcDay(now));
  const key = (await hmacHex(salt, `rate|${ip}`)).slice(0, 32);
  return (await env.RATE_LIMIT_IP.limit({ key })).success;
}

/** Runs one batch through the core and puts its rows on the queue. 204 only once queued. */
export async function ingestBatch(
  body: string,
  origin: string | null,
  client: ClientInfo,
  env: Env,
): Promise<IngestOutcome> {
  const now = Date.now();
  let result: Awaited<ReturnType<typeof collect>>;
  try {
    if (!(await clientAllowed(env, client.ip, now))) {
      return rateLimited(env, "too many requests from this client");
    }
    result = await collect(
      {
        body,
        ip: client.ip,
        userAgent: client.userAgent,
        origin,
        now,
        privacySignal: client.privacySignal,
        clientHints: client.clientHints,
        geo: client.geo,
      },
      depsFor(env),
    );
  } catch (error) {
    // Salts or the site directory could not be read: the tracker keeps the events and retries.
    console.error(`sightline: collector unavailable: ${(error as Error).message}`);
    return unavailable("COLLECTOR_UNAVAILABLE", "events could not be processed, retry later");
  }
  if (!result.ok) {
    return {
      status: result.status,
      body: { status: result.status, code: result.code, error: result.message },
      accepted: 0,
      rejected: result.rejected,
    };
  }
  const site = result.rows[0]?.site_id ?? "";
  if (env.RATE_LIMIT_SITE && !(await env.RATE_LIMIT_SITE.limit({ key: site })).success) {
    return rateLimited(env, "too many events for this site");
  }
  try {
    await enqueueRows(env.EVENTS, result.rows);
  } catch (error) {
    console.error(`sightline: queue send failed: ${(error as Error).message}`);
    return unavailable("QUEUE_UNAVAILABLE", "events could not be stored, retry later");
  }
  return { status: 204, accepted: result.rows.length, rejected: result.rejected };
}

/** `POST {base}/e`: the tracker's text/plain JSON batch. */
export async function handleIngest(request: Request, env: Env): Promise<Response> {
  const cors = corsHeaders(request);
  const read = await readBody(request, LIMITS.bodyBytes);
  if (!read.ok) {
    return read.status === 413
      ? errorResponse(413, "BODY_TOO_LARGE", `body is larger than ${LIMITS.bodyBytes} bytes`, cors)
      : errorResponse(400, "MALFORMED_BODY", "body is not valid UTF-8", cors);
  }
  const outcome = await ingestBatch(
    read.text,
    request.headers.get("origin"),
    clientInfo(request, env),
    env,
  );
  if (outcome.status === 204) return new Response(null, { status: 204, headers: cors });
  const { status, code, error } = outcome.body ?? { status: 500, code: "INTERNAL", error: "" };
  const headers =
    outcome.retryAfter === undefined
      ? cors
      : { ...cors, "retry-after": String(outcome.retryAfter) };
  return errorResponse(status, code, error, headers);
}

/** `OPTIONS {base}/e`: only needed when a site sets `data-api` to another origin. */
export function handlePreflight(request: Request): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...corsHeaders(request),
      "access-control-allow-methods": "POST",
      "access-control-allow-headers": "content-type",
      "access-control-max-age": "86400",
    },
  });
}
