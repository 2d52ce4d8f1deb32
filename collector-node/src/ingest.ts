import { type CollectDeps, collect, type EventRow } from "@sightline/edge";

export interface IngestRequest {
  body: string;
  ip: string;
  userAgent: string;
  origin: string | null;
}

export interface IngestResponse {
  status: number;
  /** JSON error body `{status, error, code}`; absent for 204. */
  body?: { status: number; code: string; error: string };
  rejected: Record<string, number>;
  accepted: number;
}

export interface IngestDeps extends CollectDeps {
  append(lines: string): Promise<void>;
  now?: () => number;
  log?: (message: string) => void;
}

export function toNdjson(rows: readonly EventRow[]): string {
  let out = "";
  for (const row of rows) out += `${JSON.stringify(row)}\n`;
  return out;
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
    };
  }
  try {
    await deps.append(toNdjson(result.rows));
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
    };
  }
  return { status: 204, rejected: result.rejected, accepted: result.rows.length };
}
