/**
 * Sent as `sv` so the collector knows which tracker produced a batch. 3: new fingerprint ids.
 * 4: batches carry the client's clock (`c`); `em` is the time the page was visible and focused
 * (before, up to 15 s after each input or the start of the view); `sd` of `engagement` counts
 * what was in view when the view ended (before, only what scroll events saw); no `x` under GPC
 * or DNT.
 */
export const SCRIPT_VERSION = "4";

export type { Props, WireBatch, WireEvent } from "./wire.ts";

import type { Props, WireEvent } from "./wire.ts";

/** Event names the collector accepts. */
export const NAME = /^[\w.:-]{1,64}$/;

/**
 * Keeps at most 30 flat values: strings (cut to 512 chars), finite numbers and booleans, under
 * keys of 1 to 64 chars. Undefined when nothing is left, so the key is left out.
 */
export const flatProps = (input: unknown): Props | undefined => {
  let out: Props | undefined;
  let n = 0;
  if (typeof input === "object")
    for (const [k, v] of Object.entries(input || {})) {
      const t = typeof v;
      if (
        k &&
        k.length < 65 &&
        (t === "string" || t === "boolean" || (t === "number" && Number.isFinite(v))) &&
        n++ < 30
      ) {
        out ||= {};
        out[k] = t === "string" ? v.slice(0, 512) : v;
      }
    }
  return out;
};

/** Revenue as `{amount, currency}`: a finite amount and a 3-letter ISO 4217 code. */
export const revenue = (input: unknown): WireEvent["m"] => {
  const { amount, currency } = (input || {}) as { amount?: unknown; currency?: unknown };
  const c = `${currency}`.toUpperCase();
  const a = +(amount as number);
  return Number.isFinite(a) && /^[A-Z]{3}$/.test(c) ? { a, c } : undefined;
};

/** Email-shaped user ids are refused: Sightline never stores personal data as an id. */
export const EMAIL = /\S@\S+\.\S/;
