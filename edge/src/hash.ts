import { formatTimestamp } from "./row.ts";

const encoder = new TextEncoder();
// Imported keys of the last two salts (today, yesterday): importing costs as much as signing.
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const keys = new Map<string, Promise<HmacKey>>();

function importKey(key: string): Promise<HmacKey> {
  let cryptoKey = keys.get(key);
  if (!cryptoKey) {
    cryptoKey = crypto.subtle.importKey(
      "raw",
      encoder.encode(key),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    if (keys.size >= 2) keys.clear();
    keys.set(key, cryptoKey);
  }
  return cryptoKey;
}

/** HMAC-SHA-256 of `message` under `key`, as lowercase hex; sync or async by platform. */
export type HmacHex = (key: string, message: string) => string | Promise<string>;

/** HMAC-SHA-256 of `message` under `key`, as lowercase hex. Web Crypto only, so it runs in Workers too. */
export async function hmacHex(key: string, message: string): Promise<string> {
  const cryptoKey = await importKey(key);
  const signature = await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(message));
  let hex = "";
  for (const byte of new Uint8Array(signature)) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/**
 * Gives the secret salt of a UTC day (`YYYY-MM-DD`). Implementations create a random salt the
 * first time a day is asked for and delete salts older than 48 hours, so old hashes can never be
 * recomputed.
 */
export interface SaltStore {
  saltFor(day: string): Promise<string>;
}

export function utcDay(ms: number): string {
  return formatTimestamp(ms).slice(0, 10);
}

/** The IP as a daily-salted HMAC: equal within a day, unlinkable across days. */
export function hashIp(salt: string, ip: string): Promise<string> {
  return hmacHex(salt, `ip|${ip}`);
}

/** The visitor id given when the browser sends none (privacy signals or cookieless mode). */
export async function cookielessVisitorId(
  salt: string,
  site: string,
  ip: string,
  userAgent: string,
  hmac: HmacHex = hmacHex,
): Promise<string> {
  return (await hmac(salt, `visitor|${site}|${ip}|${userAgent}`)).slice(0, 32);
}
