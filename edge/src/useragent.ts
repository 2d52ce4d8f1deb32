import { isbot } from "isbot";
import { UAParser } from "ua-parser-js";

export interface DeviceInfo {
  browser: string;
  browser_version: string;
  os: string;
  os_version: string;
  device: "desktop" | "mobile" | "tablet" | "bot";
  is_bot: 0 | 1;
}

/** User-Agent Client Hints, as sent in `Sec-CH-UA`, `Sec-CH-UA-Mobile` and `Sec-CH-UA-Platform`. */
export interface ClientHints {
  /** `Sec-CH-UA`: the brand list; `HeadlessChrome` gives away automation. */
  brands?: string | null;
  /** `Sec-CH-UA-Mobile`: `?1` on phones. */
  mobile?: string | null;
  /** `Sec-CH-UA-Platform`: `"Android"`, `"Windows"`, `"macOS"`, ... */
  platform?: string | null;
}

/**
 * Our additions to isbot's list, one per bot it misses; useragent.test.ts has a user agent for
 * each and checks that isbot alone misses it. All three load pages in a real browser, so they run
 * the tracker: GTmetrix and Yellow Lab Tools (page speed tests), Miniature.io (screenshots).
 */
export const OWN_BOT_PATTERNS: readonly string[] = ["gtmetrix", "\\bylt\\b", "miniature\\.io"];
const OWN_BOTS = new RegExp(OWN_BOT_PATTERNS.join("|"), "i");

// The device model of an Android user agent ("Android 13; CUBOT P80 Build/TP1A.220624.014; wv")
// is replaced by Chrome's reduced "K" before matching: a brand is never a sign of a bot, whatever
// word it contains (CUBOT's "bot"). Crawlers name themselves elsewhere: the corpus of `pnpm bench
// bots` loses no detection to this.
const ANDROID_MODEL = /(Android [\d.]+;(?: [a-z]{2}[-_][a-z]{2};)?)[^;)]*/i;

// ua-parser-js 1.x names the platform hint's values differently from its own OS names.
const PLATFORM_OS: Record<string, string> = {
  android: "Android",
  "chrome os": "Chrome OS",
  chromeos: "Chrome OS",
  ios: "iOS",
  linux: "Linux",
  macos: "Mac OS",
  windows: "Windows",
};

// Two generations: a string used since the last turnover stays, so the common user agents survive
// a flood of rare ones (an LRU's effect without its per-hit bookkeeping). At most 2 × 2000 entries.
let recent = new Map<string, DeviceInfo>();
let older = new Map<string, DeviceInfo>();
const GENERATION_SIZE = 2000;
/** Real user agents are a few hundred characters; longer ones are parsed, never kept. */
const MAX_CACHED_LENGTH = 512;

function cached(userAgent: string): DeviceInfo {
  if (userAgent.length > MAX_CACHED_LENGTH) return parse(userAgent);
  let info = recent.get(userAgent);
  if (info) return info;
  info = older.get(userAgent) ?? parse(userAgent);
  if (recent.size >= GENERATION_SIZE) {
    older = recent;
    recent = new Map();
  }
  recent.set(userAgent, info);
  return info;
}

function majorVersion(version: string | undefined): string {
  return version ? (version.split(".")[0] ?? "") : "";
}

function unquote(value: string | null | undefined): string {
  return (value ?? "").trim().replace(/^"|"$/g, "");
}

/**
 * True for user agents of crawlers, monitors, HTTP libraries and headless browsers (the `isbot`
 * package plus OWN_BOT_PATTERNS), and for a missing user agent.
 */
export function isBotUserAgent(userAgent: string): boolean {
  if (userAgent.trim() === "") return true;
  const tested = userAgent.includes("Android")
    ? userAgent.replace(ANDROID_MODEL, "$1 K")
    : userAgent;
  return isbot(tested) || OWN_BOTS.test(tested);
}

function parse(userAgent: string): DeviceInfo {
  const ua = new UAParser(userAgent).getResult();
  const isBot = isBotUserAgent(userAgent);
  const type = ua.device.type;
  return {
    browser: ua.browser.name ?? "",
    browser_version: majorVersion(ua.browser.version),
    os: ua.os.name ?? "",
    os_version: ua.os.version ?? "",
    device: isBot
      ? "bot"
      : type === "mobile" || type === "wearable"
        ? "mobile"
        : type === "tablet"
          ? "tablet"
          : "desktop",
    is_bot: isBot ? 1 : 0,
  };
}

/**
 * Browser, OS and device type from a User-Agent string and, when present, client hints (Chrome
 * freezes the UA's platform details but sends them as hints). Results are cached: real traffic
 * repeats a few thousand strings.
 */
export function parseUserAgent(userAgent: string, hints?: ClientHints): DeviceInfo {
  const info = cached(userAgent);
  if (!hints) return info;
  const brands = hints.brands ?? "";
  if (/headless/i.test(brands)) return { ...info, device: "bot", is_bot: 1 };
  if (info.is_bot) return info;
  const platform = PLATFORM_OS[unquote(hints.platform).toLowerCase()];
  const mobile = hints.mobile?.trim() === "?1";
  let { os, device } = info;
  if (platform && platform !== os) os = platform;
  // A phone says ?1; a tablet in Chrome says ?0 on Android, so only upgrade, never downgrade.
  if (mobile && device === "desktop") device = "mobile";
  if (!mobile && device === "desktop" && platform === "Android") device = "tablet";
  if (os === info.os && device === info.device) return info;
  return { ...info, os, os_version: os === info.os ? info.os_version : "", device };
}
