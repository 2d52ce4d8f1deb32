import { WIRE_BATCH_FIELDS, WIRE_EVENT_FIELDS } from "@sightline/tracker/wire";
import { LIMITS } from "./limits.ts";
import { hasControlCharacter, type WireBatch, type WireEvent } from "./schema.ts";

/**
 * Hand-written fast paths of `wireBatchSchema` and `wireEventSchema` for the common, valid case.
 * Each returns its input when it is certainly valid and null otherwise; on null the caller runs
 * the zod schema, which stays the one source of truth for what is refused and why. So a fast path
 * may only ever accept less than its schema, never more (a property test checks this against zod).
 * Validating per event with zod cost about as much as the rest of an event's enrichment.
 */

const EVENT_KEYS: ReadonlySet<string> = new Set(Object.keys(WIRE_EVENT_FIELDS));
const BATCH_KEYS: ReadonlySet<string> = new Set(Object.keys(WIRE_BATCH_FIELDS));
const NAME = /^[\w.:-]+$/;
const CURRENCY = /^[A-Z]{3}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown, min: number, max: number): boolean {
  return typeof value === "string" && value.length >= min && value.length <= max;
}

function optionalStr(value: unknown, min: number, max: number): boolean {
  return value === undefined || str(value, min, max);
}

function optionalInt(value: unknown, min: number, max: number): boolean {
  return (
    value === undefined ||
    (typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max)
  );
}

function validRevenue(m: unknown): boolean {
  if (m === undefined) return true;
  if (!isRecord(m)) return false;
  let keys = 0;
  for (const key in m) {
    if (key !== "a" && key !== "c") return false;
    keys++;
  }
  const { a, c } = m;
  return (
    keys === 2 &&
    typeof a === "number" &&
    Number.isFinite(a) &&
    a >= -1e12 &&
    a <= 1e12 &&
    typeof c === "string" &&
    CURRENCY.test(c)
  );
}

function validProps(p: unknown): boolean {
  if (p === undefined) return true;
  if (!isRecord(p)) return false;
  let count = 0;
  for (const key in p) {
    // zod builds a new object, where `__proto__` would not be an own key: leave it to zod.
    if (key === "__proto__" || key.length < 1 || key.length > LIMITS.propKeyLength) return false;
    if (hasControlCharacter(key)) return false;
    const value = p[key];
    if (typeof value === "string") {
      if (value.length > LIMITS.propValueLength) return false;
    } else if (typeof value === "number") {
      if (!Number.isFinite(value)) return false;
    } else if (typeof value !== "boolean") return false;
    count++;
  }
  return count <= LIMITS.propCount;
}

/** The event when it certainly passes `wireEventSchema`, else null (then ask zod). */
export function quickWireEvent(raw: unknown): WireEvent | null {
  if (!isRecord(raw)) return null;
  for (const key in raw) if (!EVENT_KEYS.has(key)) return null;
  const e = raw;
  const ok =
    str(e.i, 8, LIMITS.idLength) &&
    str(e.n, 1, LIMITS.nameLength) &&
    NAME.test(e.n as string) &&
    typeof e.t === "number" &&
    Number.isSafeInteger(e.t) &&
    e.t >= 0 &&
    str(e.u, 0, LIMITS.urlLength) &&
    optionalStr(e.r, 0, LIMITS.urlLength) &&
    optionalStr(e.v, 1, LIMITS.idLength) &&
    optionalStr(e.x, 1, LIMITS.idLength) &&
    optionalStr(e.w, 1, LIMITS.idLength) &&
    optionalStr(e.l, 0, 35) &&
    (e.h === undefined || e.h === 1) &&
    (e.a === undefined || e.a === 1) &&
    validRevenue(e.m) &&
    optionalInt(e.em, 0, 86_400_000) &&
    optionalInt(e.sd, 0, 100) &&
    validProps(e.p);
  return ok ? (e as WireEvent) : null;
}

/** The envelope when it certainly passes `wireBatchSchema`, else null (then ask zod). */
export function quickWireBatch(raw: unknown): WireBatch | null {
  if (!isRecord(raw)) return null;
  for (const key in raw) if (!BATCH_KEYS.has(key)) return null;
  const { e } = raw;
  const ok =
    str(raw.s, 1, 253) &&
    optionalStr(raw.sv, 0, 16) &&
    optionalInt(raw.c, 0, Number.MAX_SAFE_INTEGER) &&
    Array.isArray(e) &&
    e.length >= 1 &&
    e.length <= LIMITS.eventsPerBatch;
  return ok ? (raw as WireBatch) : null;
}
