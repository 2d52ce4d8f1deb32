/** A random v4 UUID. randomUUID only exists in secure contexts, so plain-http sites use the fallback. */
export function randomId(): string {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 15) | 64;
  b[8] = (b[8]! & 63) | 128;
  return Array.from(b, (x) => (x + 256).toString(16).slice(1))
    .join("")
    .replace(/(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-");
}
