import type { WireBatch as TrackerBatch, WireEvent as TrackerEvent } from "@sightline/tracker/wire";
import { z } from "zod";
import { LIMITS } from "./limits.ts";

/**
 * The checks the collector runs on the tracker's wire format. The format itself (its keys, their
 * names, their types) is defined once, in tracker/src/wire.ts; these schemas add the limits, and
 * the compile-time checks at the end keep them to exactly those keys and types. wire-check.ts is
 * a fast path of these schemas for valid input, with its key lists from the same tables.
 */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

const propValue = z.union([
  z.string().max(LIMITS.propValueLength),
  z.number().finite(),
  z.boolean(),
]);

export const wireEventSchema = z.strictObject({
  i: z.string().min(8).max(LIMITS.idLength),
  n: z
    .string()
    .min(1)
    .max(LIMITS.nameLength)
    .regex(/^[\w.:-]+$/, "event name may hold letters, digits, _ . : - only"),
  t: z.number().int().nonnegative(),
  u: z.string().max(LIMITS.urlLength),
  r: z.string().max(LIMITS.urlLength).optional(),
  v: z.string().min(1).max(LIMITS.idLength).optional(),
  x: z.string().min(1).max(LIMITS.idLength).optional(),
  w: z.string().min(1).max(LIMITS.idLength).optional(),
  l: z.string().max(35).optional(),
  /** 1 when the page uses hash routing: the fragment is part of the page path. */
  h: z.literal(1).optional(),
  /** 1 when the browser reports automation (`navigator.webdriver`). */
  a: z.literal(1).optional(),
  /** Revenue of the event: amount and ISO 4217 currency. */
  m: z
    .strictObject({
      a: z.number().finite().min(-1e12).max(1e12),
      c: z.string().regex(/^[A-Z]{3}$/, "currency must be a 3-letter ISO 4217 code"),
    })
    .optional(),
  /** Engaged time of the pageview that ended, in ms (on `engagement` events). */
  em: z.number().int().min(0).max(86_400_000).optional(),
  /** Deepest scroll milestone reached, in percent (on `scroll` and `engagement` events). */
  sd: z.number().int().min(0).max(100).optional(),
  p: z
    .record(
      z
        .string()
        .min(1)
        .max(LIMITS.propKeyLength)
        .refine(
          (key) => !hasControlCharacter(key),
          "property keys may not hold control characters",
        ),
      propValue,
    )
    .refine((p) => Object.keys(p).length <= LIMITS.propCount, {
      message: `at most ${LIMITS.propCount} properties`,
    })
    .optional(),
});
export type WireEvent = z.infer<typeof wireEventSchema>;

/** The batch envelope; events are checked one by one so good ones survive bad neighbours. */
export const wireBatchSchema = z.strictObject({
  s: z.string().min(1).max(253),
  sv: z.string().max(16).optional(),
  /** The browser's clock (epoch ms) when it sent this request: event-time.ts corrects for skew. */
  c: z.number().int().nonnegative().optional(),
  e: z.array(z.unknown()).min(1).max(LIMITS.eventsPerBatch),
});
export type WireBatch = z.infer<typeof wireBatchSchema>;

// Fail to compile when the schemas and the tracker's wire types disagree on a key or a type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Keys<T> = keyof T;
const _eventKeys: Same<Keys<WireEvent>, Keys<TrackerEvent>> = true;
const _eventTypes: TrackerEvent extends WireEvent ? true : false = true;
const _batchKeys: Same<Keys<WireBatch> | "sv" | "c", Keys<TrackerBatch>> = true;
void _eventKeys;
void _eventTypes;
void _batchKeys;
