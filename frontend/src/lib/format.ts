// Numbers as the dashboard prints them. One place, so a card, a list and a tooltip agree.

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat("en");

/** 1,234 up to 10,000; 12.3k and 4.5M after that. */
export function formatCount(n: number): string {
  return Math.abs(n) < 10_000 ? whole.format(Math.round(n)) : compact.format(n);
}

export function formatPercent(n: number): string {
  return `${Math.round(n)}%`;
}

/** Seconds as "45s", "3m 07s", "1h 02m". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

export function formatDecimal(n: number): string {
  return n.toFixed(2);
}

export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/**
 * The change from `before` to `now` in whole percent, or null when there is nothing to compare
 * with. Rates (bounce rate) change in points, so callers pass `points` for them. Rounded here, so
 * a change shown as 0 is also read as no change.
 */
export function change(now: number | null, before: number | null, points = false): number | null {
  if (now === null || before === null) return null;
  if (points) return Math.round(now - before) || 0;
  if (before === 0) return now === 0 ? 0 : null;
  return Math.round(((now - before) / before) * 100) || 0;
}

const instant = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

/** An ISO 8601 instant in the viewer's zone: "3 Dec 2026, 09:41". */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : instant.format(date);
}
