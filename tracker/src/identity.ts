import { hash, randomId } from "./ids.ts";
import { SESSION_TIMEOUT_MS } from "./rules.ts";
import { S, set } from "./store.ts";

export type Nav = Navigator & { globalPrivacyControl?: boolean; deviceMemory?: number };

/**
 * A hash of how this device draws text on a canvas and what its WebGL stack reports, plus stable
 * device and locale signals. Computed in memory on every page load, never stored.
 */
export const fingerprint = (n: Nav): string => {
  const canvas = () => document.createElement("canvas");
  let s: unknown = [
    screen.width,
    screen.height,
    screen.colorDepth,
    devicePixelRatio,
    n.languages,
    // The IANA zone, not only its offset: zones that share an offset still tell visitors apart.
    Intl.DateTimeFormat().resolvedOptions().timeZone,
    n.hardwareConcurrency,
    n.deviceMemory,
    n.platform,
    n.maxTouchPoints,
  ];
  try {
    // A short canvas: encoding it is most of the 2D cost. Emoji and text show font rendering.
    const c = canvas();
    c.height = 16;
    c.getContext("2d")!.fillText("sightline\u{1f50d}", 2, 12);
    s += c.toDataURL();
    const g = canvas().getContext("webgl")!;
    g.getExtension("WEBGL_debug_renderer_info");
    // UNMASKED_VENDOR, UNMASKED_RENDERER, MAX_TEXTURE_SIZE (the masked VENDOR and RENDERER are
    // the same in every Chromium, and in every Firefox)
    s += [37445, 37446, 3379].map(g.getParameter, g) as unknown as string;
  } catch {
    // canvas or WebGL blocked: the other signals still count
  }
  return hash(`${s}`);
};

/**
 * The session id, kept as "<id>.<last activity ms>" in storage so tabs share it.
 * Every event counts as activity; a gap over 30 minutes starts a new session.
 */
export const sessionId = (now: number): string => {
  const [id, last] = (S.sl_s || "").split(".");
  const sid = (now - +last! <= SESSION_TIMEOUT_MS && id) || randomId();
  set("sl_s", `${sid}.${now}`);
  return sid;
};
