import { installCommands, isLoaded } from "./commands.ts";
import { type Config, readConfig } from "./config.ts";
import { createEvent } from "./event.ts";
import { watchHistory } from "./history.ts";
import { createStore } from "./store.ts";
import { createTransport } from "./transport.ts";
import type { Win } from "./win.ts";

/** Reads the snippet and starts tracking, or waits until a prerendered page is shown. */
export function init(w: Win, script: Element | null): void {
  const config = readConfig(script);
  if (!config) return;
  const doc = w.document as Document & { prerendering?: boolean };
  if (doc.prerendering) {
    doc.addEventListener("prerenderingchange", () => start(w, config), { once: true });
  } else {
    start(w, config);
  }
}

function start(w: Win, config: Config): void {
  try {
    // A second copy of the script (snippet pasted twice) would double every event.
    if (isLoaded(w)) return;
    const store = createStore(() => w.localStorage);
    const transport = createTransport(w, config.site, config.base);
    const track = (name: unknown, props?: unknown) => {
      if (typeof name === "string" && name) transport.send(createEvent(w, store, name, props));
    };

    // The last page a pageview was sent for: path and query, not the hash.
    let lastPage: string | undefined;
    const pageview = () => {
      try {
        const page = w.location.pathname + w.location.search;
        if (page !== lastPage) {
          lastPage = page;
          track("pageview");
        }
      } catch {
        // never break the app's navigation
      }
    };

    // Queued calls run first, so settings queued before load apply to the first pageview.
    installCommands(w, new Map([["track", track]]));
    pageview();
    watchHistory(w, pageview);
  } catch {
    // analytics must never break the page
  }
}
