import { LIMITS } from "./limits.ts";

/**
 * When an event happened, in server time. The one rule for it (docs/storage.md, "Event time").
 *
 * A batch carries the browser's clock at the moment it was sent (`c`), so the server knows how
 * far that clock is off: skew = receive time − send time. Each event's own client time `t` plus
 * the skew is when it happened on the server's clock, however long it waited in the tracker's
 * queue. A skew between 0 and NETWORK_DELAY_MS is the request's trip, not a wrong clock: then the
 * client time stands as it is, so every copy of a retried event gets the same time (and the same
 * day), whenever each copy arrives. The result is clamped to be neither in the future nor older
 * than the tracker's queue keeps events.
 */

/** A skew in [0, this] is taken for network and queueing delay of the request itself. */
export const NETWORK_DELAY_MS = 60_000;
/** The tracker drops unsent events after 24 hours, so no event time is older than this. */
export const MAX_QUEUE_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The event's time (epoch ms), or null when even corrected it lies beyond what a tracker can send
 * (LIMITS: older than its queue with a margin, or further ahead than clock drift explains).
 * `sentAt` is the batch's `c`; without it (older trackers, the pixel) the client time is taken as
 * it is, within the same limits and clamp.
 */
export function eventTime(
  clientTime: number,
  sentAt: number | undefined,
  now: number,
): number | null {
  let at = clientTime;
  if (sentAt !== undefined) {
    const skew = now - sentAt;
    if (skew < 0 || skew > NETWORK_DELAY_MS) at += skew;
  }
  if (at < now - LIMITS.maxEventAgeMs || at > now + LIMITS.maxClockSkewMs) return null;
  return Math.min(now, Math.max(at, now - MAX_QUEUE_AGE_MS));
}
