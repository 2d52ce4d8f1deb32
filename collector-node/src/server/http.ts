import type { IncomingMessage, ServerResponse } from "node:http";

/** The one error shape of every answer that is not a success. */
export interface ErrorBody {
  status: number;
  code: string;
  error: string;
}

/** A request header as one string (repeated headers joined with commas). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** Sends a JSON error body with its status; returns the status. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: ErrorBody,
  headers: Record<string, string> = {},
): number {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
  return status;
}

export type Body = { ok: true; text: string; bytes: number } | { ok: false; status: 413 | 400 };

/** Reads a body up to `limit` bytes. Content-Length is trusted only without Transfer-Encoding. */
export function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && req.headers["transfer-encoding"] === undefined) {
    if (Number(declared) > limit) return Promise.resolve({ ok: false, status: 413 });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      bytes += chunk.byteLength;
      if (bytes > limit) {
        over = true;
        chunks.length = 0;
        resolve({ ok: false, status: 413 });
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    req.on("end", () => {
      ended = true;
      if (!over) {
        const buffer = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        resolve({ ok: true, text: buffer.toString("utf8"), bytes });
      }
    });
    // A client that goes away mid-body ("aborted" error, then close): settle, so nothing waits
    // on it; the answer is lost with the connection.
    const cutOff = () => {
      if (!ended && !over) {
        over = true;
        resolve({ ok: false, status: 400 });
      }
    };
    req.on("error", cutOff);
    req.on("close", cutOff);
  });
}

/** The answer to a body that could not be read: too large, or cut off by the client. */
export function bodyError(
  res: ServerResponse,
  status: 413 | 400,
  limit: number,
  headers: Record<string, string>,
): number {
  const body =
    status === 413
      ? { status, code: "BODY_TOO_LARGE", error: `body is larger than ${limit} bytes` }
      : { status, code: "BODY_INCOMPLETE", error: "the request body was cut off" };
  return sendJson(res, status, body, { ...headers, connection: "close" });
}
