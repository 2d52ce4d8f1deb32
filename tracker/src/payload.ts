/** Sent as `sv` so the collector knows which tracker produced a batch. */
export const SCRIPT_VERSION = "1";

export type Props = Record<string, string | number | boolean>;

/** One event on the wire. Keys are one letter to keep requests small; see README.md. */
export interface WireEvent {
  i: string;
  n: string;
  t: number;
  u: string;
  r?: string | undefined;
  v: string;
  x: string;
  l?: string | undefined;
  p?: Props | undefined;
}

export interface Batch {
  s: string;
  sv: string;
  e: WireEvent[];
}

/** Keeps only flat string, finite number and boolean values; undefined when nothing is left. */
export function flatProps(input: unknown): Props | undefined {
  if (!input || typeof input !== "object" || Array.isArray(input)) return undefined;
  let out: Props | undefined;
  for (const [key, value] of Object.entries(input)) {
    if (
      typeof value === "string" ||
      typeof value === "boolean" ||
      (typeof value === "number" && Number.isFinite(value))
    ) {
      out = out || {};
      out[key] = value;
    }
  }
  return out;
}

export function encodeBatch(site: string, events: WireEvent[]): string {
  const batch: Batch = { s: site, sv: SCRIPT_VERSION, e: events };
  return JSON.stringify(batch);
}
