import type { Row } from "../schemas/query.ts";
import type { OutputColumn } from "./compile.ts";

/** A CSV field per RFC 4180; text that a spreadsheet would run as a formula is defused with '. */
export function csvField(value: string | number | null, text: boolean): string {
  if (value === null) return "";
  let s = String(value);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvHeader(columns: readonly OutputColumn[]): string {
  return `${columns.map((c) => csvField(c.name, true)).join(",")}\r\n`;
}

export function csvLine(row: Row, columns: readonly OutputColumn[]): string {
  return `${columns.map((c) => csvField(row[c.name] ?? null, c.kind !== "metric")).join(",")}\r\n`;
}

export function ndjsonLine(row: Row): string {
  return `${JSON.stringify(row)}\n`;
}
