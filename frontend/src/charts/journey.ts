/**
 * One journey path with its ends made explicit. A path holds the page itself and up to `steps`
 * pages after (or before) it; a shorter one ended (or began) at its last (first) page, which
 * reads as leaving (or arriving from outside).
 */
export function journeyChain(
  pages: readonly string[],
  direction: "after" | "before",
  steps: number,
): string[] {
  const short = pages.length < steps + 1;
  return direction === "after"
    ? [...pages, ...(short ? ["(left the site)"] : [])]
    : [...(short ? ["(came from outside)"] : []), ...pages];
}
