/**
 * The wire format, defined once: what a tracker request holds. The tracker uses the types only
 * (so this costs s.js no byte); the collector builds its field list, its fast path and the names
 * in its rejection counts from these tables (edge/src/schema.ts, wire-check.ts, collect.ts),
 * and checks its zod schema against the types. Keys are short to keep requests small.
 */

/** Each event key, and the name it has in the collector's row and rejection reasons. */
export const WIRE_EVENT_FIELDS = {
  i: "event_id",
  n: "name",
  t: "timestamp",
  u: "url",
  r: "referrer",
  v: "visitor_id",
  x: "session_id",
  w: "user_id",
  l: "language",
  h: "hash_routing",
  a: "automation",
  m: "revenue",
  em: "engaged_ms",
  sd: "scroll_depth",
  p: "props",
} as const;

/** The keys of a request body. */
export const WIRE_BATCH_FIELDS = {
  s: "site",
  sv: "script_version",
  c: "sent_at",
  e: "events",
} as const;

export type Props = Record<string, string | number | boolean>;

/** One event on the wire (tracker/README.md explains each key). */
export interface WireEvent {
  i: string;
  n: string;
  t: number;
  u: string;
  r?: string;
  l?: string;
  v?: string | undefined;
  x?: string;
  w?: string | undefined;
  /** 1 when the page uses hash routing: the fragment is part of the page path. */
  h?: 1 | undefined;
  /** 1 when the browser reports automation (`navigator.webdriver`). */
  a?: 1 | undefined;
  /** Revenue: amount and ISO 4217 currency. */
  m?: { a: number; c: string } | undefined;
  /** Engaged time of the pageview that ended, in ms (on `engagement` events). */
  em?: number;
  /** Scroll depth in percent (on `scroll` and `engagement` events). */
  sd?: number;
  p?: Props | undefined;
}

/**
 * One request body. `c` is the client's clock when the request was built (each retry and beacon
 * builds its own), so the collector can correct the events' `t` for the client's clock skew.
 */
export interface WireBatch {
  s: string;
  sv: string;
  c: number;
  e: WireEvent[];
}

// Fails to compile when a key of the types is missing from the tables, or the other way round.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _eventKeys: Same<keyof WireEvent, keyof typeof WIRE_EVENT_FIELDS> = true;
const _batchKeys: Same<keyof WireBatch, keyof typeof WIRE_BATCH_FIELDS> = true;
void _eventKeys;
void _batchKeys;
