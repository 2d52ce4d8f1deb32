import { clientInfo } from "./client.ts";
import type { Env } from "./env.ts";
import { ingestBatch } from "./ingest.ts";

/** The classic 1×1 transparent GIF (43 bytes). */
export const TRANSPARENT_GIF = new Uint8Array([
  0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
  0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
]);

function gif(): Response {
  return new Response(TRANSPARENT_GIF, {
    headers: {
      "content-type": "image/gif",
      "cache-control": "no-store, max-age=0",
      "content-length": String(TRANSPARENT_GIF.byteLength),
    },
  });
}

/**
 * `GET {base}/p.gif?s=site&u=url&r=referrer&n=name&i=id`: one event for places where no script
 * runs. The query becomes a one-event batch for the core (so the same checks apply; the page
 * URL stands in for the Origin). The answer is always the GIF, whatever happened to the event.
 */
export async function handlePixel(request: Request, env: Env): Promise<Response> {
  const query = new URL(request.url).searchParams;
  const page = query.get("u") ?? request.headers.get("referer") ?? "";
  let origin: string | null = null;
  try {
    origin = new URL(page).origin;
  } catch {
    // An unparsable page URL is rejected by the core below.
  }
  const event: Record<string, unknown> = {
    i: query.get("i") ?? crypto.randomUUID(),
    n: query.get("n") || "pageview",
    t: Date.now(),
    u: page,
  };
  const referrer = query.get("r");
  if (referrer) event.r = referrer;
  const body = JSON.stringify({ s: query.get("s") ?? "", sv: "pixel", e: [event] });
  const outcome = await ingestBatch(body, origin, clientInfo(request, env), env);
  if (outcome.status !== 204 && outcome.status !== 503) {
    console.warn(`sightline: pixel event not recorded: ${outcome.body?.code ?? outcome.status}`);
  }
  return gif();
}
