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

const BOT_PATTERN =
  /bot\b|bot\/|bot;|crawl|spider|slurp|scraper|headless|phantomjs|puppeteer|playwright|selenium|webdriver|lighthouse|pagespeed|gtmetrix|pingdom|uptime|monitor|statuscake|curl\/|wget\/|httpie|python-requests|python-urllib|aiohttp|httpx|scrapy|go-http-client|java\/|okhttp|apache-httpclient|axios\/|node-fetch|undici|libwww|facebookexternalhit|facebookcatalog|preview|embedly|quora link|whatsapp\/|telegrambot|discordbot|slackbot|bingpreview|ahrefs|semrush|mj12|dotbot|petalbot|bytespider|gptbot|chatgpt-user|claudebot|anthropic|perplexity|ccbot|amazonbot|applebot|yandex(?!browser)|baiduspider|duckduckbot|archive\.org/i;

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

/** True for user agents of crawlers, monitors, HTTP libraries and headless browsers. */
export function isBotUserAgent(userAgent: string): boolean {
  return userAgent.trim() === "" || BOT_PATTERN.test(userAgent);
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
