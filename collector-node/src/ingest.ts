import {
  type ClientHints,
  type CollectDeps,
  collect,
  type EventRow,
  ndjsonLines,
} from "@sightline/edge";

export interface IngestRequest {
  body: string;
  ip: string;
  userAgent: string;
  origin: string | null;
  /** `Sec-GPC: 1` / `DNT: 1`, when honoured: use the cookieless daily visitor id. */
  privacySignal?: boolean;
  clientHints?: ClientHints;
}

export interface IngestResponse {
  status: number;
  /** JSON error body `{status, error, code}`; absent for 204. */
  body?: { status: number; code: string; error: string };
  /** Seconds, with 429. */
  retryAfter?: number;
  rejected: Record<string, number>;
  accepted: number;
  /** Bytes of NDJSON written. */
  written: number;
}

export interface IngestDeps extends CollectDeps {
  append(lines: string): Promise<void>;
  /** Admission of the accepted rows (the per-site rate limit): 0 = go, else seconds to wait. */
  admit?: (rows: readonly EventRow[]) => number;
  now?: () => number;
  log?: (message: string) => void;
}

/**
 * One ingest request: collect, then append to the spool. 204 only after the write returned;
 * a failed write is a 503 so the tracker keeps the events and retries.
 */
export async function ingest(request: IngestRequest, deps: IngestDeps): Promise<IngestResponse> {
  const result = await collect({ ...request, now: deps.now?.() ?? Date.now() }, deps);
  if (!result.ok) {
    return {
      status: result.status,
      body: { status: result.status, code: result.code, error: result.message },
      rejected: result.rejected,
      accepted: 0,
      written: 0,
    };
  }
  const wait = deps.admit?.(result.rows) ?? 0;
  if (wait > 0) {
    return {
      status: 429,
      body: { status: 429, code: "RATE_LIMITED", error: "too many events for this site" },
      retryAfter: wait,
      rejected: result.rejected,
      accepted: 0,
      written: 0,
    };
  }
  const lines = ndjsonLines(result.rows);
  try {
    await deps.append(lines);
  } catch (error) {
    deps.log?.(`spool write failed: ${(error as Error).message}`);
    return {
      status: 503,
      body: {
        status: 503,
        code: "SPOOL_UNAVAILABLE",
        error: "events could not be stored, retry later",
      },
      rejected: result.rejected,
      accepted: 0,
      written: 0,
    };
  }
  return {
    status: 204,
    rejected: result.rejected,
    accepted: result.rows.length,
    written: Buffer.byteLength(lines),
  };
}
