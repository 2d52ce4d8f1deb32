import { guard, on } from "./guard.ts";
import { SCRIPT_VERSION, type WireEvent } from "./payload.ts";
import { S, set, shared } from "./store.ts";

/**
 * Each unsent event is stored under its own key, `sl_q<t><id>`, so tabs never overwrite each
 * other's queue and sorting the keys sorts the events by time.
 */
export const PREFIX = "sl_q";
/** The stored queue keeps at most this many events and characters; the oldest go first. */
export const MAX_EVENTS = 200;
export const MAX_CHARS = 100_000;
/** Unsent events older than this are dropped (and counted in `sl_d`). */
export const MAX_AGE_MS = 24 * 60 * 60 * 1000;
export const MAX_BATCH = 25;
/** Events made within this time travel in one request. */
export const BATCH_DELAY_MS = 100;
/** Statuses after which a batch is done: 2xx, and 4xx other than 408 and 429 (never retried). */
export const DONE = /^(2|4(?!08|29))/;

/** Wait before retry number `tries` (1-based): about 2 s, doubling, ±20 % jitter, at most 1 h. */
export function backoff(tries: number, rnd: number): number {
  return Math.min(36e5, 2e3 * 2 ** (tries - 1) * (0.8 + rnd * 0.4));
}

/** The stored queue's keys, oldest first. */
const load = () =>
  Object.keys(S)
    .filter((k) => k.startsWith(PREFIX))
    .sort();

/** Removes an event that will never be sent, and counts it. */
const drop = (k: string) => {
  set(k);
  set("sl_d", -~S.sl_d!);
};

type Locks = { request(name: string, cb: () => Promise<void>): Promise<void> };

/**
 * The outbox: every event is stored first and removed only once the collector acknowledged it
 * (or refused it for good). Only one tab sends, the holder of the "sightline" Web Lock, so two
 * tabs never send the same stored event. Returns `add` (store and schedule an event) and `hide`
 * (the page is hidden or, with `unload`, going away: send what is left with sendBeacon).
 */
export const createOutbox = (site: string, url: string) => {
  const locks = (navigator as { locks?: Locks }).locks;
  // Keys carry a time that only grows within this tab, so same-millisecond events keep their order.
  let stamp = 0;
  // Set once the page goes away: Chrome then rejects in-flight fetches that still get delivered.
  let gone: unknown;
  // The sending tab: the Web Lock holder, or every tab when locks or shared storage are missing.
  let leader: unknown = !shared || !locks;
  let release: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(flush, ms);
  };

  const flush: (hide?: unknown) => void = guard((hide?: unknown) => {
    // A page that went on in memory (storage full) sends its own queue, lock or not.
    if (shared && !leader) return;
    const now = Date.now();
    // Next try time and failed tries, stored so a reload keeps honouring the backoff.
    const [next, tries = 0] = (S.sl_b || "").split("-");
    const batch: string[] = [];
    let chars = 0;
    for (const k of load()) {
      chars += S[k]!.length;
      if (now - +k.slice(4, 17) > MAX_AGE_MS) drop(k);
      else if (batch.length < MAX_BATCH && chars < 5e4) batch.push(k);
    }
    // Offline Chromium accepts a beacon and loses it, so offline events wait for the next page.
    if (!batch[0] || (hide && !navigator.onLine)) return;
    if (!hide && now < +next!) return schedule(+next! - now);
    const values = batch.map((k) => S[k]);
    // A WireBatch; `c` is this send's clock (`now`), taken anew by every retry and beacon.
    const body = `{"s":${JSON.stringify(site)},"sv":"${SCRIPT_VERSION}","c":${now},"e":[${values}]}`;
    const beaconed = hide && navigator.sendBeacon(url, body);
    // A sendBeacon or fetch that throws when called (a page's broken wrapper) sent nothing: the
    // batch leaves storage only after the call, so it stays for the next try.
    const sent = beaconed || fetch(url, { method: "POST", body, keepalive: true });
    // Taken out while in flight (a keepalive request outlives the page, so a reload must not send
    // them again), and put back if the collector did not take them.
    for (const k of batch) set(k);
    if (beaconed) return flush(hide);
    (sent as Promise<Response>)
      .catch(() => 0 as unknown as Response)
      .then(
        guard((r: Response) => {
          const tried = -~tries;
          if (DONE.test(r.status as unknown as string)) sendNow();
          else {
            if (!gone) batch.map((k, i) => set(k, values[i]));
            const ms =
              (r.status === 429 && +r.headers.get("retry-after")! * 1e3) ||
              backoff(tried, Math.random());
            set("sl_b", `${Date.now() + ms}-${tried}`);
            schedule(ms);
          }
        }),
      );
  });
  // Forgets any backoff and sends what is queued: after a success, and when the browser is online.
  const sendNow = () => {
    set("sl_b");
    flush();
  };

  const lead = () =>
    locks!
      .request(
        "sightline",
        () =>
          new Promise<void>((r) => {
            leader = release = r;
            flush();
          }),
      )
      .catch(() => {
        leader = 1;
      });

  if (!leader) lead();
  // Back from the back/forward cache: the page lives again and takes the lock back.
  on("pageshow", (e: PageTransitionEvent) => {
    if (e.persisted) {
      gone = 0;
      if (release) lead();
    }
  });
  on("online", sendNow);
  // Another tab stored something (an event, its session): the sending tab looks at the queue.
  on("storage", () => schedule(BATCH_DELAY_MS));

  return [
    (e: WireEvent) => {
      stamp = Math.max(stamp + 1, e.t);
      set(PREFIX + stamp + e.i, JSON.stringify(e));
      const q = load();
      while (q.length > MAX_EVENTS || q.map((k) => S[k]).join().length > MAX_CHARS)
        drop(q.shift()!);
      // Events made while hidden or going away (plugins reporting on pagehide) leave at once.
      gone || document.hidden ? flush(1) : schedule(BATCH_DELAY_MS);
    },
    (unload?: unknown) => {
      flush(1);
      gone = unload;
      // A page holding a Web Lock cannot enter the back/forward cache. This page stays the
      // sender for events made later in this pagehide (plugins), which leave by beacon.
      if (unload) release?.();
    },
  ] as const;
};
