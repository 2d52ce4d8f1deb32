/** The smallest transparent 1×1 GIF (42 bytes). */
export const PIXEL_GIF = Buffer.from(
  "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7",
  "base64",
);

/**
 * The wire batch a `p.gif` request stands for: `s` site, `u` page URL (else the Referer), `r`
 * referrer, `n` event name (default pageview), `i` event id (default random). Returns null when
 * there is no site or page to record.
 */
export function pixelBatch(
  query: URLSearchParams,
  referer: string | undefined,
  now: number,
): string | null {
  const site = query.get("s");
  const url = query.get("u") || referer;
  if (!site || !url) return null;
  const event: Record<string, unknown> = {
    i: query.get("i") || crypto.randomUUID(),
    n: query.get("n") || "pageview",
    t: now,
    u: url,
  };
  const ref = query.get("r");
  if (ref) event.r = ref;
  return JSON.stringify({ s: site, sv: "pixel", e: [event] });
}
