import type { Reader } from "./read.ts";

// IANA names only: Intl also takes offsets such as "+05:30", which ClickHouse does not.
const IANA_ZONE = /^[A-Za-z][A-Za-z_]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;

/**
 * The zones the database knows, loaded once at start-up. Node's ICU still knows some names the
 * database's tzdata dropped (US/Pacific-New, Canada/East-Saskatchewan): a zone must be known to
 * both, or every route would pass it on to a query that fails.
 */
let databaseZones: ReadonlySet<string> | null = null;

/** Reads `system.time_zones`; until then (or if it fails) only Node's view is checked. */
export async function loadDatabaseZones(ch: Reader): Promise<void> {
  const rows = await ch.read<{ time_zone: string }>("SELECT time_zone FROM system.time_zones");
  if (rows.length > 0) databaseZones = new Set(rows.map((r) => r.time_zone));
}

function intlKnows(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** True when `tz` is an IANA zone that Node and the database both know. */
export function isKnownZone(tz: string): boolean {
  return IANA_ZONE.test(tz) && intlKnows(tz) && (databaseZones?.has(tz) ?? true);
}
