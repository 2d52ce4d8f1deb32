import type { Range } from "../checkpoint.ts";

/** Lanes: whole spool files the engine parses at once, each on a session of its own. */
export const FILES_AT_ONCE = 2;

export interface LaneOptions {
  /** How many files run at once. */
  lanes: number;
  /** True once no new file may start (stop() was called); files already started finish. */
  halted: () => boolean;
  /** Records a file of `next` as in flight, just before its lane starts it. */
  begin: (range: Range) => void;
  /** Ships one file on lane `lane` (0-based). */
  ship: (range: Range, lane: number) => Promise<void>;
}

/**
 * Ships files side by side: one insert parses on about one core, so two lanes keep both of ours
 * busy, and a lane takes the next file as soon as its last one is done. `resend` is already in
 * flight and goes first; each file of `next` is recorded in flight just before its lane starts it.
 * After a failure no lane starts another file, and the first error is thrown once every lane has
 * stopped.
 */
export async function runLanes(
  resend: readonly Range[],
  next: readonly Range[],
  o: LaneOptions,
): Promise<void> {
  const todo = [...resend];
  const queue = [...next];
  let failed = false;
  const lane = async (i: number) => {
    for (let range = todo.shift(); !failed; range = todo.shift()) {
      if (!range) {
        range = o.halted() ? undefined : queue.shift();
        if (!range) return;
        o.begin(range);
      }
      try {
        await o.ship(range, i);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const lanes = Array.from({ length: o.lanes }, (_, i) => lane(i));
  const failure = (await Promise.allSettled(lanes)).find((r) => r.status === "rejected");
  if (failure) throw failure.reason;
}
