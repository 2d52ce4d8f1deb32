/**
 * Literals for SQL text that is ours: values read from our own tables, computed by our code, or
 * checked against our allowlists. Never for client text, which travels as bound parameters. A
 * statement without bound parameters can run beside others in embedded chDB (CHDB.md).
 */

/** A ClickHouse string literal: backslash and quote escaped (nothing else can end the string). */
export function sqlString(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** An instant (epoch ms) as a DateTime64(3, 'UTC') expression. */
export function sqlInstant(ms: number): string {
  if (!Number.isFinite(ms)) throw new Error(`not an instant: ${ms}`);
  return `fromUnixTimestamp64Milli(toInt64(${Math.trunc(ms)}), 'UTC')`;
}

/** A whole number as SQL (a limit, a version, a hash bound). */
export function sqlInteger(n: number | bigint): string {
  if (typeof n === "number" && !Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
}
