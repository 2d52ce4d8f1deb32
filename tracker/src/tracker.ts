import { type Handler, installCommands } from "./commands.ts";
import { type Config, readConfig } from "./config.ts";
import { guard, on } from "./guard.ts";
import { watchHistory } from "./history.ts";
import { fingerprint, privacySignal, sessionId } from "./identity.ts";
import { randomId } from "./ids.ts";
import { emailShaped, flatProps, NAME, revenue, type WireEvent } from "./payload.ts";
import { createOutbox } from "./queue.ts";
import { openStore, S, set } from "./store.ts";

export const MILESTONES = [25, 50, 75, 90, 100];
/** Engaged time keeps counting for this long after each input (pointer, key, scroll, touch). */
export const IDLE_MS = 15e3;
export const DOWNLOADS =
  "pdf|docx?|xlsx?|pptx?|csv|txt|zip|rar|7z|gz|dmg|exe|msi|apk|iso|mp3|mp4|mov|epub";

/** Reads the snippet and starts tracking, or waits until a prerendered page is shown. */
export function init(script: Element | null): void {
  const config = readConfig(script);
  const doc = document as Document & { prerendering?: boolean };
  if (config)
    doc.prerendering
      ? doc.addEventListener("prerenderingchange", () => start(config), { once: true })
      : start(config);
}

function start(c: Config): void {
  try {
    const attr = c.attr;
    const doc = document;
    const nav = navigator;
    const automated = nav.webdriver ? 1 : 0;
    // Automated browsers are ignored, unless the site asks to count them (marked as bots).
    if (
      (window as { sightline?: { l?: 1 } }).sightline?.l ||
      (automated && attr("automation") !== "allow")
    )
      return;
    openStore();
    const outbox = createOutbox(c.site, `${c.base}/e`);
    const exclude = attr("exclude") || "";
    const hashMode = attr("hash") != null ? 1 : 0;
    let debug = attr("debug") != null;
    const mode = privacySignal(nav) ? "cookieless" : attr("identity") || "fingerprint";
    // Only the storage mode keeps a visitor id; switching away (or sending GPC) deletes it.
    const visitor =
      mode === "storage"
        ? S.sl_v || randomId()
        : mode === "fingerprint"
          ? fingerprint()
          : undefined;
    set("sl_v", mode === "storage" ? visitor : null);
    const warn = (m: string) => debug && console.warn(`sightline: ${m}`);

    const send = (n: string, extra?: Partial<WireEvent>) => {
      if (S.sl_o) return;
      const t = Date.now();
      outbox.add({
        i: randomId(),
        n,
        t,
        u: location.href,
        r: doc.referrer,
        l: nav.language,
        v: visitor,
        x: sessionId(t),
        w: S.sl_u || undefined,
        h: hashMode || undefined,
        a: automated || undefined,
        ...extra,
      });
    };
    // Auto-captured events can be switched off by name in data-exclude ("scroll,forms").
    const capture = (n: string, extra?: Partial<WireEvent>) => {
      if (!exclude.includes(n)) send(n, extra);
    };

    // The current pageview: its path key, URL, engaged ms, scroll depth and next milestone.
    let page: string | undefined;
    let url = "";
    let engaged = 0;
    let last = Date.now();
    let visible = doc.visibilityState === "visible";
    let depth = 0;
    let mark = 0;
    let notFound = 0;

    const active = () => {
      const now = Date.now();
      if (visible) engaged += Math.min(now - last, IDLE_MS);
      last = now;
    };
    const depthNow = () => {
      const d = doc.documentElement;
      return Math.min(100, Math.round(((scrollY + innerHeight) / d.scrollHeight) * 100));
    };
    /** Ends the current pageview: one `engagement` event with the time and depth it got. */
    const end = (sd: number) => {
      active();
      if (page && engaged) capture("engagement", { u: url, em: engaged, sd });
      engaged = 0;
    };
    const pageview = () => {
      const key = location.pathname + location.search + (hashMode ? location.hash : "");
      if (key === page) return;
      end(depth);
      page = key;
      url = location.href;
      depth = mark = 0;
      capture("pageview");
      if (notFound || doc.querySelector('meta[name="sightline:404"]')) {
        notFound = 0;
        capture("404");
      }
    };

    const commands: Record<string, Handler> = {
      track(n, props, money) {
        typeof n === "string" && NAME.test(n)
          ? send(n, { p: flatProps(props), m: revenue(money) })
          : warn(`bad name ${n}`);
      },
      identify(id) {
        typeof id === "string" && id && id.length < 129 && !emailShaped(id)
          ? set("sl_u", id)
          : warn(`refused id ${id}`);
      },
      reset() {
        set("sl_u");
      },
      optout() {
        set("sl_o", "1");
      },
      optin() {
        set("sl_o");
      },
      config(key, value) {
        if (key === "debug") debug = !!value;
        if (key === "404" && value) {
          if (page) capture("404");
          else notFound = 1;
        }
      },
    };

    // Queued calls run first, so settings queued before load apply to the first pageview.
    installCommands(commands);
    pageview();
    watchHistory(guard(pageview));
    if (hashMode) on(window, "hashchange", pageview);

    for (const t of ["pointerdown", "keydown", "mousemove", "touchstart"]) on(doc, t, active);
    on(doc, "scroll", () => {
      active();
      depth = Math.max(depth, depthNow());
      while ((MILESTONES[mark] as number) <= depth) capture("scroll", { sd: MILESTONES[mark++] });
    });
    // The pageview ends when the tab is hidden or the page goes away (pagehide, then hidden).
    const leave = (unload?: boolean) => {
      end(Math.max(depth, depthNow()));
      visible = false;
      outbox.hide(unload);
    };
    on(doc, "visibilitychange", () => {
      if (doc.hidden) leave();
      else {
        visible = true;
        last = Date.now();
      }
    });
    on(window, "pagehide", () => leave(true));

    const downloads = new RegExp(
      `\\.(${[DOWNLOADS, ...(attr("downloads") || "").split(/\W+/)].filter(Boolean).join("|")})$`,
      "i",
    );
    // Middle clicks only raise auxclick; Enter on a focused link raises click.
    const click = (e: MouseEvent) => {
      const a = (e.target as Element).closest?.("a[href]") as HTMLAnchorElement | null;
      if (a && e.button === +(e.type === "auxclick") && /^https?:$/.test(a.protocol)) {
        const p = { p: { url: a.href.slice(0, 512) } };
        if (a.hasAttribute("download") || downloads.test(a.pathname)) capture("download", p);
        else if (a.host !== location.host) capture("outbound", p);
      }
    };
    on(doc, "click", click);
    on(doc, "auxclick", click);
    // The form's id or name and its action path: never a field value.
    on(doc, "submit", (e: SubmitEvent) => {
      const f = e.target as HTMLFormElement;
      const a = (n: string) => f.getAttribute(n) || "";
      capture("form", {
        p: { form: a("id") || a("name"), action: new URL(a("action"), location.href).pathname },
      });
    });

    // Plugins are separate files next to s.js: data-plugins="errors,vitals".
    for (const p of (attr("plugins") || "").split(/\W+/))
      if (p) {
        const s = doc.createElement("script");
        s.src = `${c.folder || c.base}/${p}.js`;
        doc.head.appendChild(s);
      }
  } catch {
    // analytics must never break the page
  }
}
