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
  /** How far in the past a client timestamp may be (the tracker retries for 24 h). */
  maxEventAgeMs: 25 * 60 * 60 * 1000,
  /** Clock skew tolerated for timestamps from the future. */
  maxClockSkewMs: 10 * 60 * 1000,
} as const;
