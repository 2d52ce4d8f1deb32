/** Hard limits on what one ingest request may carry. */
export const LIMITS = {
  bodyBytes: 64 * 1024,
  eventsPerBatch: 50,
  nameLength: 64,
  urlLength: 2048,
  idLength: 128,
  propCount: 30,
  propKeyLength: 64,
  propValueLength: 512,
  /** Deepest nesting of a body: batch → events → event → props or revenue. */
  maxDepth: 4,
  /**
   * How far in the past an event's time may be, after the batch's clock correction (the tracker
   * retries for 24 h; event-time.ts clamps what is accepted to that).
   */
  maxEventAgeMs: 25 * 60 * 60 * 1000,
  /** How far in the future an event's time may be after correction (then clamped to now). */
  maxClockSkewMs: 10 * 60 * 1000,
} as const;
