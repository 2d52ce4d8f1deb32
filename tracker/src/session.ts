import { randomId } from "./ids.ts";
import type { Store } from "./store.ts";

export const SESSION_IDLE_MS = 30 * 60 * 1000;

export function visitorId(store: Store): string {
  const id = store.get("sl_v") || randomId();
  store.set("sl_v", id);
  return id;
}

/**
 * The session id, kept as "<id>.<last activity ms>" in localStorage so tabs share it.
 * Calling it counts as activity; a gap over 30 minutes starts a new session.
 */
export function sessionId(store: Store, now: number): string {
  const [id, last] = (store.get("sl_s") || "").split(".");
  const sid = id && now - Number(last) <= SESSION_IDLE_MS ? id : randomId();
  store.set("sl_s", `${sid}.${now}`);
  return sid;
}
