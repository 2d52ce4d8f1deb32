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

/** Wait before retry number `tries` (1-based): about 2 s, doubling, ±20 % jitter, at most 1 h. */
export function backoff(tries: number, rnd = Math.random()): number {
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
  set("sl_d", `${-~(S.sl_d as unknown as number)}`);
};

type Locks = { request(name: string, cb: () => Promise<void>): Promise<void> };

export interface Outbox {
  add(e: WireEvent): void;
  /** The page is hidden (or, with `unload`, going away): send what is left with sendBeacon. */
  hide(unload?: boolean): void;
}

/**
 * The outbox: every event is stored first and removed only once the collector acknowledged it
 * (or refused it for good). Only one tab sends, the holder of the "sightline" Web Lock, so two
 * tabs never send the same stored event.
 */
export function createOutbox(site: string, url: string): Outbox {
  const nav = navigator;
  const locks = (nav as { locks?: Locks }).locks;
  // Keys carry a time that only grows within this tab, so same-millisecond events keep their order.
  let stamp = 0;
  // Set once the page goes away: Chrome then rejects in-flight fetches that still get delivered.
  let gone = false;
  let leader = !shared || !locks;
  let release: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(
      guard(() => flush()),
      ms,
    );
  };

  function flush(hide?: boolean): void {
    if (!leader) return;
    const now = Date.now();
    // Next try time and failed tries, stored so a reload keeps honouring the backoff.
    const [next = 0, tries = 0] = (S.sl_b || "").split("-").map(Number);
    const batch: string[] = [];
    let chars = 0;
    for (const k of load()) {
      if (now - +k.slice(4, 17) > MAX_AGE_MS) drop(k);
      else if (batch.length < MAX_BATCH) {
        chars += S[k]!.length;
        if (chars < 5e4) batch.push(k);
      }
    }
    if (!batch[0]) return;
    const body = `{"s":${JSON.stringify(site)},"sv":"${SCRIPT_VERSION}","e":[${batch.map((k) => S[k])}]}`;
    const values = batch.map((k) => S[k]);
    if (hide) {
      // Offline Chromium accepts a beacon and loses it, so offline events wait for the next page.
      if (!nav.onLine) return;
      if (nav.sendBeacon(url, body)) {
        for (const k of batch) set(k);
        flush(hide);
        return;
      }
    } else if (now < next) {
      schedule(next - now);
      return;
    }
    // Taken out while in flight (a keepalive request outlives the page, so a reload must not send
    // them again), and put back if the collector did not take them.
    for (const k of batch) set(k);
    fetch(url, { method: "POST", body, keepalive: true })
      .then(
        (r) => [r.status, r.headers.get("retry-after")] as const,
        () => [0, null] as const,
      )
      .then(([status, after]) => {
        const kind = (status / 100) | 0;
        // Success, or a refusal that will not change: 4xx other than 408 and 429.
        if (kind === 2 || (kind === 4 && status !== 408 && status !== 429)) {
          set("sl_b");
          flush();
        } else {
          if (!gone) batch.map((k, i) => set(k, values[i]));
          const ms = (status === 429 && +after! * 1e3) || backoff(tries + 1);
          set("sl_b", `${Date.now() + ms}-${tries + 1}`);
          schedule(ms);
        }
      })
      .catch(() => {});
  }

  const lead = () =>
    locks!
      .request(
        "sightline",
        () =>
          new Promise<void>((r) => {
            leader = true;
            release = r;
            flush();
          }),
      )
      .catch(() => {
        leader = true;
      });

  if (!leader) lead();
  // Back from the back/forward cache: the page lives again and takes the lock back.
  on(window, "pageshow", (e: PageTransitionEvent) => {
    if (e.persisted) {
      gone = false;
      if (release) lead();
    }
  });
  on(window, "online", () => {
    set("sl_b");
    flush();
  });
  // Another tab stored an event: the sending tab picks it up.
  on(window, "storage", (e: StorageEvent) => e.key?.startsWith(PREFIX) && schedule(BATCH_DELAY_MS));

  return {
    add(e) {
      stamp = Math.max(stamp + 1, e.t);
      set(PREFIX + stamp + e.i, JSON.stringify(e));
      const q = load();
      let chars = 0;
      for (const k of q) chars += S[k]!.length;
      while (q.length > MAX_EVENTS || chars > MAX_CHARS) {
        chars -= S[q[0]!]!.length;
        drop(q.shift()!);
      }
      // Events made while hidden or going away (plugins reporting on pagehide) leave at once.
      gone || document.hidden ? flush(true) : schedule(BATCH_DELAY_MS);
    },
    hide(unload) {
      flush(true);
      gone = !!unload;
      // A page holding a Web Lock cannot enter the back/forward cache. This page stays the
      // sender for events made later in this pagehide (plugins), which leave by beacon.
      if (unload && release) release();
    },
  };
}
