import { type EventRow, ndjsonLines } from "@sightline/edge";

/**
 * Encodes batches of demo rows as spool NDJSON into one reused buffer, with the one line writer
 * every spool line comes from (@sightline/edge ndjsonLines): a fresh buffer per batch would leave
 * the garbage collector a few hundred MB to sweep for every million rows.
 */
export class DemoLineEncoder {
  #buffer = Buffer.allocUnsafe(8 * 1024 * 1024);

  /** The UTF-8 lines of these rows; valid until the next call. */
  encode(rows: readonly EventRow[]): Buffer {
    const text = ndjsonLines(rows);
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (text.length * 3 > this.#buffer.length) {
      this.#buffer = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, text.length * 3));
    }
    return this.#buffer.subarray(0, this.#buffer.write(text, 0));
  }
}
