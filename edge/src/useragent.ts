import { UAParser } from "ua-parser-js";

export interface DeviceInfo {
  browser: string;
  browser_version: string;
  os: string;
  os_version: string;
  device: "desktop" | "mobile" | "tablet" | "bot";
  is_bot: 0 | 1;
}

const BOT_PATTERN =
  /bot\b|bot\/|crawl|spider|slurp|headless|phantomjs|puppeteer|playwright|selenium|lighthouse|pingdom|uptime|monitor|curl\/|wget\/|python-requests|python-urllib|go-http-client|java\/|okhttp|axios\/|node-fetch|facebookexternalhit|preview/i;

const cache = new Map<string, DeviceInfo>();
const CACHE_LIMIT = 2000;

function majorVersion(version: string | undefined): string {
  return version ? (version.split(".")[0] ?? "") : "";
}

/** Browser, OS and device type from a User-Agent string. Results are cached: real traffic repeats a few thousand strings. */
export function parseUserAgent(userAgent: string): DeviceInfo {
  const hit = cache.get(userAgent);
  if (hit) return hit;
  const ua = new UAParser(userAgent).getResult();
  const isBot = userAgent === "" || BOT_PATTERN.test(userAgent);
  const type = ua.device.type;
  const info: DeviceInfo = {
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
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(userAgent, info);
  return info;
}
