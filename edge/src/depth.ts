/**
 * The deepest nesting of arrays and objects in JSON text, counted by one scan of the text so its
 * cost does not grow with the shape. collect() asks only for bodies the fast path did not take
 * (after JSON.parse, which copes with any depth), so a deeply nested body is refused before the
 * zod schema recurses into it. Brackets inside strings do not count.
 */
export function jsonDepth(text: string, stopAt = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(text, i);
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > stopAt) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/**
 * The index of the quote closing the string opened at `open` (or the text's end). `indexOf`
 * skips string contents natively, which is most of a body; a quote is escaped when an odd
 * number of backslashes comes right before it.
 */
function stringEnd(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at === -1) return text.length;
    let slashes = 0;
    while (text.charCodeAt(at - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return at;
  }
}
