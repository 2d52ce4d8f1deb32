/** Sends an event through the page's `sightline()` (the core installs it before loading plugins). */
export function track(name: string, props: Record<string, string | number>): void {
  (window as { sightline?: (...a: unknown[]) => void }).sightline?.("track", name, props);
}
