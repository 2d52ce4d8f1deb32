/** 128 random bits as 32 hex chars; getRandomValues works on plain-http pages too, unlike randomUUID. */
export const randomId = (): string =>
  Array.from(crypto.getRandomValues(new Uint32Array(4)), (x) =>
    (x + 2 ** 32).toString(16).slice(1),
  ).join("");

/** A fast 64-bit string hash (two chained FNV-style lanes) as hex. Not for security, only for grouping. */
export const hash = (s: string): string => {
  let a = 9;
  let b = 7;
  for (const c of s) {
    a = Math.imul(a ^ c.charCodeAt(0), 16777619);
    b = Math.imul(b ^ a, 2246822507);
  }
  return (a >>> 0).toString(16) + (b >>> 0).toString(16);
};
