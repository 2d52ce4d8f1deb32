/** The parts of `window` the tracker touches. Passing it in lets tests use a fresh jsdom window. */
export type Win = Pick<
  Window,
  "document" | "location" | "history" | "navigator" | "localStorage" | "fetch" | "addEventListener"
> & { sightline?: unknown };
