/**
 * Event row values as JSON text, each exactly as `JSON.stringify` writes it. The NDJSON writer
 * (ndjson.ts and the code generated into row-writer.generated.ts) is built from these.
 */

/** A JSON string literal, as `JSON.stringify` writes it; short plain text skips its call cost. */
export function jsonString(text: string): string {
  if (text.length > 64) return JSON.stringify(text);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Quote, backslash and controls are escaped, lone surrogates too: leave those to V8.
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c & 0xf800) === 0xd800) {
      return JSON.stringify(text);
    }
  }
  return `"${text}"`;
}

/** Thrown for a value JSON.stringify would write differently (or leave out). */
export const IRREGULAR = new Error("not an event row value");

export function stringValue(value: unknown): string {
  if (typeof value !== "string") throw IRREGULAR;
  return jsonString(value);
}

export function numberValue(value: unknown): string {
  if (typeof value !== "number" || !Number.isFinite(value)) throw IRREGULAR;
  return `${value}`;
}

export function objectValue(value: unknown): string {
  if (value === null || typeof value !== "object") throw IRREGULAR;
  return JSON.stringify(value);
}

/** How values of a ClickHouse type are written in JSON: the name of one of the writers above. */
export function jsonWriterFor(clickhouse: string): "stringValue" | "numberValue" | "objectValue" {
  if (/^(String|LowCardinality\(String\)|DateTime64\(.*\))$/.test(clickhouse)) return "stringValue";
  if (/^(U?Int\d+|Float\d+|Decimal\(.*\))$/.test(clickhouse)) return "numberValue";
  if (/^Map\(.*\)$/.test(clickhouse)) return "objectValue";
  throw new Error(`no JSON form known for the ClickHouse type ${clickhouse}`);
}
