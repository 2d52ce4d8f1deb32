import { hash, randomId } from "./ids.ts";
import { S, set } from "./store.ts";

export const SESSION_IDLE_MS = 30 * 60 * 1000;

type Nav = Navigator & { globalPrivacyControl?: boolean; deviceMemory?: number };

/** True when the browser asks not to be tracked: Global Privacy Control or Do Not Track. */
export function privacySignal(nav: Nav): boolean {
  return !!nav.globalPrivacyControl || nav.doNotTrack === "1";
}

/**
 * A hash of how this device draws a canvas and what its WebGL stack reports, plus stable device
 * and locale signals. Computed in memory on every page load, never stored.
 */
export function fingerprint(): string {
  const n = navigator as Nav;
  let s = [
    screen.width,
    screen.height,
    screen.colorDepth,
    devicePixelRatio,
    n.language,
    n.languages,
    Intl.DateTimeFormat().resolvedOptions().timeZone,
    n.hardwareConcurrency,
    n.deviceMemory,
    n.platform,
    n.maxTouchPoints,
  ].join();
  const canvas = () => document.createElement("canvas");
  try {
    const c = canvas();
    const x = c.getContext("2d")!;
    x.fillStyle = "#f60";
    x.fillRect(2, 2, 50, 9);
    x.font = "15px serif";
    x.fillText("Sightline\u{1f50d}", 2, 14);
    s += c.toDataURL();
  } catch {
    // canvas blocked: the other signals still count
  }
  try {
    const g = canvas().getContext("webgl")!;
    g.getExtension("WEBGL_debug_renderer_info");
    // VENDOR, RENDERER, UNMASKED_VENDOR, UNMASKED_RENDERER, MAX_TEXTURE_SIZE
    for (const p of [7936, 7937, 37445, 37446, 3379]) s += g.getParameter(p);
  } catch {
    // no WebGL
  }
  return hash(s);
}

/**
 * The session id, kept as "<id>.<last activity ms>" in storage so tabs share it.
 * Every event counts as activity; a gap over 30 minutes starts a new session.
 */
export function sessionId(now: number): string {
  const [id, last] = (S.sl_s || "").split(".");
  const sid = id && now - +last! <= SESSION_IDLE_MS ? id : randomId();
  set("sl_s", `${sid}.${now}`);
  return sid;
}
