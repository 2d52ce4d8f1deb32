/** 128 random bits as 32 hex chars; getRandomValues works on plain-http pages too, unlike randomUUID. */
export function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint32Array(4)), (x) =>
    (x + 2 ** 32).toString(16).slice(1),
  ).join("");
}

/** A fast 64-bit string hash (two FNV-style lanes) as hex. Not for security, only for grouping. */
export function hash(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i++);
    a = Math.imul(a ^ c, 16777619);
    b = Math.imul(b ^ c, 2246822507) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16) + (b >>> 0).toString(16);
}
