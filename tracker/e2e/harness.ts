// Test harness: Debian Chromium via playwright-core, and one local server on 127.0.0.1 that
// serves fixture pages and the built dist files and records every batch POSTed to /sl/e.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DESKTOP_CHROME } from "@sightline/test-support/chromium";
import type { BrowserContext, BrowserContextOptions } from "playwright-core";
import type { WireBatch, WireEvent } from "../src/payload.ts";

const DIST = new URL("../dist/", import.meta.url);

export { DESKTOP_CHROME, launchChromium } from "@sightline/test-support/chromium";

export const contextOptions = (extra: BrowserContextOptions = {}): BrowserContextOptions => ({
  userAgent: DESKTOP_CHROME,
  ...extra,
});

export interface Received {
  /** Server time the batch arrived. */
  at: number;
  site: string;
  sv: string;
  /** The client's clock when the request was built (epoch ms), for the collector's skew fix. */
  c: number;
  events: WireEvent[];
  /** Status the receiver answered. */
  status: number;
  /** Sec-Fetch-Mode: "no-cors" for sendBeacon, "cors" for fetch. */
  mode: string;
}

export interface Receiver {
  url: string;
  batches: Received[];
  events(): WireEvent[];
  names(): string[];
  /** Answers for the next POSTs, in order; 204 once they are used up. */
  answers: { status: number; headers?: Record<string, string> }[];
  /** Registers a fixture page. */
  page(path: string, html: string): void;
  /**
   * Serves pages and scripts from memory inside the browser context, so they load while the
   * context is offline; only POST /sl/e goes over the (emulated) network.
   */
  serveOffline(context: BrowserContext): Promise<void>;
  close(): Promise<void>;
}

/** The snippet as a site pastes it, with the automation opt-in our Playwright pages need. */
export function snippet(attrs = ""): string {
  return `<script>window.sightline=window.sightline||function(){(sightline.q=sightline.q||[]).push(arguments)}</script>
<script defer src="/sl/s.js" data-site="test.example" data-automation="allow" ${attrs}></script>`;
}

export function html(body: string, head = snippet()): string {
  return `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => {
      body += c;
    });
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

export async function startReceiver(): Promise<Receiver> {
  const pages = new Map<string, string>();
  const batches: Received[] = [];
  const answers: Receiver["answers"] = [];
  const server: Server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (req.method === "POST" && path === "/sl/e") {
      const body = await readBody(req);
      const answer = answers.shift() ?? { status: 204 };
      if (process.env.RX_DEBUG)
        console.log(req.headers["sec-fetch-mode"], body.replace(/"(v|x|l|r|t)":[^,]*,/g, ""));
      const batch = JSON.parse(body) as WireBatch;
      batches.push({
        at: Date.now(),
        site: batch.s,
        sv: batch.sv,
        c: batch.c,
        events: batch.e,
        status: answer.status,
        mode: String(req.headers["sec-fetch-mode"]),
      });
      res.writeHead(answer.status, answer.headers).end();
      return;
    }
    const { status, type, body } = lookup(path);
    res.writeHead(status, { "content-type": type }).end(body);
  });
  const lookup = (path: string) => {
    if (path.startsWith("/sl/") && path.endsWith(".js"))
      try {
        return {
          status: 200,
          type: "text/javascript",
          body: readFileSync(new URL(path.slice(4), DIST)),
        };
      } catch {
        return { status: 404, type: "text/plain", body: "" };
      }
    const page = pages.get(path);
    return page
      ? { status: 200, type: "text/html", body: page }
      : { status: 404, type: "text/html", body: "<!doctype html><p>not found</p>" };
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  /** Only batches the receiver accepted count as delivered. */
  const delivered = () => batches.filter((b) => b.status === 204);
  return {
    url: `http://127.0.0.1:${port}`,
    batches,
    answers,
    events: () => delivered().flatMap((b) => b.events),
    names: () => delivered().flatMap((b) => b.events.map((e) => e.n)),
    page: (path, body) => pages.set(path, body),
    serveOffline: async (context) => {
      await context.route(
        (u) => u.origin === `http://127.0.0.1:${port}` && u.pathname !== "/sl/e",
        (route) => {
          const { status, type, body } = lookup(new URL(route.request().url()).pathname);
          return route.fulfill({ status, contentType: type, body });
        },
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls until `check` returns true, or fails after `ms`. */
export async function until(check: () => boolean, ms = 5000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
