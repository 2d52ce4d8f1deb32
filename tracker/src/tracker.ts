import { type Handler, installCommands } from "./commands.ts";
import { readConfig } from "./config.ts";
import { guard, on } from "./guard.ts";
import { watchHistory } from "./history.ts";
import { fingerprint, type Nav, sessionId } from "./identity.ts";
import { randomId } from "./ids.ts";
import { EMAIL, flatProps, NAME, revenue, type WireEvent } from "./payload.ts";
import { createOutbox } from "./queue.ts";
import { L, openStore, S, set } from "./store.ts";

export const MILESTONES = [25, 50, 75, 90, 100];
/** pdf, doc(x), xls(x), ppt(x), csv, txt, zip, rar, 7z, gz, dmg, exe, msi, apk, iso, mp3, mp4, mov, epub */
export const DOWNLOADS =
  "(doc|xls|ppt)x?|pdf|csv|txt|zip|rar|7z|gz|dmg|exe|msi|apk|iso|mp[34]|mov|epub";

/** Reads the snippet and starts tracking, or waits until a prerendered page is shown. */
export const init = (script: Element | null): void => {
  const c = readConfig(script);
  const doc = document;
  const nav = navigator;
  const automated = +nav.webdriver || undefined;
  const attr = c?.attr;
  // Automated browsers are ignored, unless the site asks to count them (marked as bots).
  if (!attr || (automated && attr("automation") !== "allow")) return;

  const start = () => {
    // A second copy of the script finds the first one's `sightline()` and stands down (checked
    // here, after prerendering, when the first copy has started).
    if ((window as { sightline?: { l?: 1 } }).sightline?.l) return;
    // Global Privacy Control or Do Not Track (mode ""): no id from the browser (the collector
    // assigns one), no session id, and nothing in storage but the opt-out choice.
    const mode =
      (nav as Nav).globalPrivacyControl || nav.doNotTrack === "1"
        ? ""
        : attr("identity") || "fingerprint";
    openStore(!mode);
    const [add, hide] = createOutbox(c.site, `${c.base}e`);
    const exclude = attr("exclude") || "";
    const hashMode = attr("hash") != null ? 1 : undefined;
    /** The words of a list attribute ("ics, ipynb"). */
    const words = (name: string) => (attr(name) || "").match(/\w+/g) || [];
    let debug: unknown = attr("debug") != null;
    // Only the storage mode keeps a visitor id; switching away (or sending GPC) deletes it, from
    // localStorage itself under GPC or DNT.
    const visitor =
      mode === "storage"
        ? S.sl_v || randomId()
        : mode === "fingerprint"
          ? fingerprint(nav)
          : undefined;
    set("sl_v", mode === "storage" && visitor, L);
    const warn = (what: string, value: unknown) =>
      debug && console.warn(`sightline: refused ${what}`, value);

    const send = (n: string, extra?: Partial<WireEvent>, t = Date.now()) =>
      S.sl_o ||
      add({
        i: randomId(),
        n,
        t,
        u: location.href,
        r: doc.referrer,
        l: nav.language,
        v: visitor,
        x: mode ? sessionId(t) : undefined,
        w: S.sl_u,
        h: hashMode,
        a: automated as 1 | undefined,
        ...extra,
      });
    // Auto-captured events can be switched off by name in data-exclude ("scroll,forms").
    const capture = (n: string, extra?: Partial<WireEvent>) =>
      exclude.includes(n) || send(n, extra);

    // The current pageview: its path key, URL, engaged ms, lowest pixel seen and next milestone.
    let page: string | undefined;
    let url: string;
    let engaged = 0;
    // When engaged time last started counting; 0 while the page is hidden or not focused.
    let since = 0;
    let seen = 0;
    let mark = 0;
    let notFound: unknown;

    /**
     * Engaged time is the time the page is visible and focused, input or not (as Plausible and
     * GA4 count it). Called whenever visibility or focus may have changed, and when a view ends.
     */
    const tick = () => {
      const now = Date.now();
      if (since) engaged += now - since;
      since = !doc.hidden && doc.hasFocus() ? now : 0;
    };
    /**
     * Looks at what is in view now, and returns the scroll depth of this pageview: the lowest
     * pixel seen, in percent of the page's height now (so a page that grows while it loads does
     * not inflate an early look).
     */
    const deepest = () => {
      seen = Math.max(seen, scrollY + innerHeight);
      return Math.min(100, Math.round((seen / doc.documentElement.scrollHeight) * 100));
    };
    /**
     * Ends the current pageview: one `engagement` event with the time and depth it got. The
     * depth is looked at here too, so a view that never scrolled reports what was in view.
     */
    const end = () => {
      tick();
      if (page && engaged) capture("engagement", { u: url, em: engaged, sd: deepest() });
      engaged = 0;
    };
    const pageview = () => {
      const href = location.href;
      // The page is the URL without its fragment, unless hash routing makes it part of the path.
      const key = hashMode ? href : href.split("#")[0];
      if (key !== page) {
        end();
        page = key;
        url = href;
        // Not looked at yet: at pushState a router may still show the last view, scrolled to the
        // link that led here. The first scroll or the end of the view looks.
        seen = mark = 0;
        capture("pageview");
        if (notFound || doc.querySelector('meta[name="sightline:404"]')) {
          notFound = 0;
          capture("404");
        }
      }
    };

    // Queued calls run first, so settings queued before load apply to the first pageview.
    installCommands({
      track(n, props, money) {
        n === `${n}` && NAME.test(n)
          ? send(n, { p: flatProps(props), m: revenue(money) })
          : warn("name", n);
      },
      identify(id) {
        id === `${id}` && id && id.length < 129 && !EMAIL.test(id)
          ? set("sl_u", id)
          : warn("id", id);
      },
      reset() {
        set("sl_u");
      },
      // The choice goes to localStorage itself too, also while S is memory (GPC, DNT, full).
      optout() {
        set("sl_o", 1);
        set("sl_o", 1, L);
      },
      optin() {
        set("sl_o");
        set("sl_o", 0, L);
      },
      config(key, value) {
        if (key === "debug") debug = value;
        if (key === "404" && value) {
          if (page) capture("404");
          else notFound = 1;
        }
      },
    } as Record<string, Handler>);
    pageview();
    // The first view starts with what is in view (the page may have been restored scrolled).
    deepest();
    watchHistory(guard(pageview));
    // A fragment change fires popstate too, so this also catches hash routes (data-hash).
    on("popstate", pageview);

    on(
      "scroll",
      () => {
        while ((MILESTONES[mark] as number) <= deepest())
          capture("scroll", { sd: MILESTONES[mark++] });
      },
      doc,
    );
    // The window's own focus and blur (those of elements pass by too, and change nothing).
    on("focus blur", tick);
    // The pageview ends when the tab is hidden or the page goes away (pagehide, then hidden).
    // `unload` is the pagehide event: the page is going away, not only hidden. Time after it
    // (in the back/forward cache) is not engaged.
    const leave = (unload?: Event) => {
      end();
      since = 0;
      hide(unload);
    };
    on("visibilitychange", () => (doc.hidden ? leave() : tick()), doc);
    on("pagehide", leave);

    const downloads = RegExp(`\\.(${[DOWNLOADS, ...words("downloads")].join("|")})$`, "i");
    // Middle clicks only raise auxclick; Enter on a focused link raises click.
    on(
      "click auxclick",
      (e: MouseEvent) => {
        const a = (e.target as Element).closest("a[href]") as HTMLAnchorElement | null;
        if (a && e.button === +(e.type < "b") && /^http/.test(a.protocol)) {
          const p = { p: { url: a.href.slice(0, 512) } };
          if (a.hasAttribute("download") || downloads.test(a.pathname)) capture("download", p);
          else if (a.host !== location.host) capture("outbound", p);
        }
      },
      doc,
    );
    // The form's id or name and its action path: never a field value.
    on(
      "submit",
      (e: SubmitEvent) => {
        const f = e.target as HTMLFormElement;
        const a = (n: string) => f.getAttribute(n) || "";
        capture("form", {
          p: {
            form: a("id") || a("name"),
            action: new URL(a("action"), location as unknown as URL).pathname,
          },
        });
      },
      doc,
    );

    // Plugins are separate files next to s.js: data-plugins="errors,vitals".
    for (const p of words("plugins")) {
      const s = doc.createElement("script");
      s.src = `${c.folder || c.base}${p}.js`;
      doc.head.append(s);
    }
  };
  (doc as Document & { prerendering?: boolean }).prerendering
    ? on("prerenderingchange", start, doc)
    : start();
};
