// Date ranges are whole local calendar days written as YYYY-MM-DD. The server
// turns them into instants with the tz we send, so nothing here touches UTC.

export type Preset = "7d" | "30d" | "90d";

export const PRESETS: readonly { value: Preset; label: string; days: number }[] = [
  { value: "7d", label: "Last 7 days", days: 7 },
  { value: "30d", label: "Last 30 days", days: 30 },
  { value: "90d", label: "Last 90 days", days: 90 },
];

export const DEFAULT_PRESET: Preset = "30d";

export type RangeSelection =
  | { kind: "preset"; preset: Preset }
  | { kind: "custom"; from: string; to: string };

export interface DateRange {
  from: string;
  to: string;
}

export function isPreset(value: string): value is Preset {
  return PRESETS.some((p) => p.value === value);
}

export function formatLocalDate(date: Date): string {
  const y = String(date.getFullYear()).padStart(4, "0");
  const m = String(date.getMonth() + 1).padStart(2, "0");
  const d = String(date.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/** Parses a strict YYYY-MM-DD into local midnight; null for anything else, including 2025-02-30. */
export function parseLocalDate(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(y, m - 1, d);
  if (date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== d) return null;
  return date;
}

/** Calendar arithmetic through the Date constructor, so DST days still count as one day. */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/** "Last N days" ends today and counts today, so it holds exactly N dates. */
export function presetRange(preset: Preset, today: Date = new Date()): DateRange {
  const days = PRESETS.find((p) => p.value === preset)?.days ?? 30;
  return { from: formatLocalDate(addDays(today, -(days - 1))), to: formatLocalDate(today) };
}

export function resolveRange(selection: RangeSelection, today: Date = new Date()): DateRange {
  return selection.kind === "preset"
    ? presetRange(selection.preset, today)
    : { from: selection.from, to: selection.to };
}

/** Why a custom range cannot be queried, or null when it can. */
export function validateRange(from: string, to: string): string | null {
  if (!parseLocalDate(from)) return "Choose a valid start date.";
  if (!parseLocalDate(to)) return "Choose a valid end date.";
  // Same-length ISO dates compare correctly as strings.
  if (from > to) return "The start date must be on or before the end date.";
  return null;
}

/** Number of dates from..to inclusive; 0 when either is invalid or from is after to. */
export function countDays(range: DateRange): number {
  const from = parseLocalDate(range.from);
  const to = parseLocalDate(range.to);
  if (!from || !to || from > to) return 0;
  const utc = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  return Math.round((utc(to) - utc(from)) / 86_400_000) + 1;
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}
