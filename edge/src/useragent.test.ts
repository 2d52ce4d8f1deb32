import { isbot } from "isbot";
import { describe, expect, it } from "vitest";
// Hand-written current user agents of people's browsers: desktop, mobile, tablet, in-app
// WebViews, TVs, consoles, e-readers and less common brands (several CUBOT phones among them).
import BROWSERS from "./fixtures/browsers.json" with { type: "json" };
import { isBotUserAgent, OWN_BOT_PATTERNS, parseUserAgent } from "./useragent.ts";

// Real user agents as browsers, in-app webviews and crawlers send them.
const TABLE: [label: string, ua: string, browser: string, os: string, device: string][] = [
  [
    "Chrome on Windows",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36",
    "Chrome",
    "Windows",
    "desktop",
  ],
  [
    "Edge on Windows",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0",
    "Edge",
    "Windows",
    "desktop",
  ],
  [
    "Firefox on Linux",
    "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
    "Firefox",
    "Linux",
    "desktop",
  ],
  [
    "Safari on macOS",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15",
    "Safari",
    "Mac OS",
    "desktop",
  ],
  [
    "Safari on iPhone",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1",
    "Mobile Safari",
    "iOS",
    "mobile",
  ],
  [
    "Chrome on Android phone",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36",
    "Chrome",
    "Android",
    "mobile",
  ],
  [
    "Samsung Internet",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/27.0 Chrome/125.0.0.0 Mobile Safari/537.36",
    "Samsung Internet",
    "Android",
    "mobile",
  ],
  [
    "Safari on iPad",
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mobile Safari",
    "iOS",
    "tablet",
  ],
  [
    "Chrome on a Galaxy Tab",
    "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36",
    "Chrome",
    "Android",
    "tablet",
  ],
  [
    "Instagram in-app on iPhone",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 339.0.3.12.91 (iPhone14,5; iOS 17_5; en_US; en; scale=3.00; 1170x2532; 618323111)",
    "Instagram",
    "iOS",
    "mobile",
  ],
  [
    "Facebook in-app on iPhone",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.41.106;FBBV/622530592;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBCR/;FBID/phone;FBLC/en_US;FBOP/5]",
    "Facebook",
    "iOS",
    "mobile",
  ],
  [
    "Facebook in-app on Android",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/127.0.6533.103 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/477.0.0.49.74;]",
    "Facebook",
    "Android",
    "mobile",
  ],
  [
    "WeChat on Android",
    "Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160117 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64",
    "WeChat",
    "Android",
    "mobile",
  ],
];

const BOTS: [label: string, ua: string][] = [
  ["Googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"],
  [
    "Googlebot smartphone",
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  ],
  ["Bingbot", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"],
  [
    "GPTBot",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
  ],
  [
    "Facebook link preview",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
  ],
  [
    "Headless Chrome",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36",
  ],
  [
    "Lighthouse",
    "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse",
  ],
  ["curl", "curl/8.5.0"],
  ["python-requests", "python-requests/2.32.3"],
  ["Go", "Go-http-client/2.0"],
  ["Ahrefs", "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"],
  ["UptimeRobot", "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"],
  ["empty", ""],
  ["blank", "  "],
];

// Crawlers, scanners and monitors the hand-written pattern used to count as people (issue 12).
const MISSED_BEFORE: [label: string, ua: string][] = [
  ["GoogleOther", "GoogleOther"],
  [
    "GoogleOther on a phone",
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.7339.207 Mobile Safari/537.36 (compatible; GoogleOther)",
  ],
  ["Google-InspectionTool", "Mozilla/5.0 (compatible; Google-InspectionTool/1.0)"],
  ["Mediapartners-Google", "Mediapartners-Google"],
  ["meta-externalagent", "meta-externalagent/1.1"],
  ["WhatsApp preview, bare", "WhatsApp"],
  ["Slack-ImgProxy", "Slack-ImgProxy 149 (+https://api.slack.com/robots)"],
  ["sqlmap", "sqlmap/1.7.8#stable (https://sqlmap.org)"],
  ["Nikto", "Mozilla/5.0 (X11; Linux x86_64) Nikto/2.5.0 (Evasions:None) (Test:Port Check)"],
  ["zgrab", "Mozilla/5.0 zgrab/0.x"],
  ["masscan", "masscan/1.0 (https://github.com/robertdavidgraham/masscan)"],
  ["curl, bare", "curl"],
  ["HTTrack", "Mozilla/4.5 (compatible; HTTrack 3.0x; Windows 98)"],
  ["heritrix", "Mozilla/5.0 (compatible; heritrix/3.2.0 +http://www.crim.ca)"],
  [
    "Datadog synthetics",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.7204.168 Safari/537.36 DatadogSynthetics",
  ],
  ["Datadog agent", "Datadog Agent/7.69.2"],
  [
    "Checkly",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.6998.35 Safari/537.36 (Checkly, https://www.checklyhq.com)",
  ],
  [
    "New Relic synthetics",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/100.0.4896.60 Safari/537.36 NewRelicSynthetics/1.0",
  ],
];

// One user agent per entry of OWN_BOT_PATTERNS, in the same order.
const OWN_ADDITIONS: [pattern: string, ua: string][] = [
  [
    "gtmetrix",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/117.0.0.0 Safari/537.36 GTmetrix",
  ],
  [
    "\\bylt\\b",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) YLT Chrome/85.0.4183.121 Safari/537.36",
  ],
  [
    "miniature\\.io",
    "Mozilla/5.0 (X11; Linux x86_64) Miniature.io/6.0 AppleWebKit/537.36 (KHTML, like Gecko) QtWebEngine/5.12.4 Chrome/69.0.3497.128 Safari/537.36",
  ],
];

describe("parseUserAgent", () => {
  it.each(TABLE)("%s", (_label, ua, browser, os, device) => {
    expect(parseUserAgent(ua)).toMatchObject({ browser, os, device, is_bot: 0 });
    expect(isBotUserAgent(ua)).toBe(false);
  });

  it.each(BOTS)("%s is a bot", (_label, ua) => {
    expect(parseUserAgent(ua)).toMatchObject({ device: "bot", is_bot: 1 });
  });

  it.each(MISSED_BEFORE)("%s is a bot (isbot)", (_label, ua) => {
    expect(isBotUserAgent(ua)).toBe(true);
    expect(parseUserAgent(ua)).toMatchObject({ device: "bot", is_bot: 1 });
  });

  it.each(OWN_ADDITIONS)("own addition /%s/ is needed and works", (pattern, ua) => {
    expect(new RegExp(pattern, "i").test(ua)).toBe(true);
    // When isbot learns one of these, the addition can go.
    expect(isbot(ua)).toBe(false);
    expect(isBotUserAgent(ua)).toBe(true);
  });

  it("has one example for each own addition", () => {
    expect(OWN_ADDITIONS.map(([pattern]) => pattern)).toEqual([...OWN_BOT_PATTERNS]);
  });

  it("flags at most 0.5% of the browser fixture as bots", () => {
    expect(BROWSERS.length).toBeGreaterThanOrEqual(200);
    expect(new Set(BROWSERS.map((b) => b.ua)).size).toBe(BROWSERS.length);
    const flagged = BROWSERS.filter((b) => isBotUserAgent(b.ua)).map((b) => b.label);
    expect(flagged.length / BROWSERS.length, flagged.join("; ")).toBeLessThanOrEqual(0.005);
  });

  it("never takes a device brand for a bot", () => {
    const cubot = [
      "Mozilla/5.0 (Linux; Android 13; CUBOT P80 Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/139.0.7258.143 Mobile Safari/537.36",
      // The same brand after a semicolon with no space, which isbot's own CUBOT exception misses.
      "Mozilla/5.0 (Linux; Android 11;CUBOT X30 Build/RP1A.200720.011; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.107 Mobile Safari/537.36",
      "Mozilla/5.0 (Linux; U; Android 12; en-US; CUBOT NOTE 21 Build/SP1A.210812.016) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/123.0.6312.80 UCBrowser/13.7.0.1320 Mobile Safari/537.36",
    ];
    for (const ua of cubot) {
      expect(isBotUserAgent(ua), ua).toBe(false);
      expect(parseUserAgent(ua)).toMatchObject({ device: "mobile", is_bot: 0 });
    }
  });

  it("keeps the major browser version only", () => {
    expect(parseUserAgent(TABLE[0]?.[1] ?? "").browser_version).toBe("140");
  });

  it("lets client hints correct a frozen user agent", () => {
    const frozen = TABLE[5]?.[1] ?? "";
    expect(parseUserAgent(frozen, { mobile: "?1", platform: '"Android"' })).toMatchObject({
      os: "Android",
      device: "mobile",
    });
    const desktopChrome = TABLE[0]?.[1] ?? "";
    expect(parseUserAgent(desktopChrome, { mobile: "?1", platform: '"Android"' })).toMatchObject({
      os: "Android",
      device: "mobile",
      os_version: "",
    });
    expect(
      parseUserAgent(desktopChrome, { brands: '"Chromium";v="140", "HeadlessChrome";v="140"' }),
    ).toMatchObject({ device: "bot", is_bot: 1 });
    // The cache keeps the hint-free result.
    expect(parseUserAgent(desktopChrome).device).toBe("desktop");
  });

  it("gives the same answers through cache turnovers and for over-long user agents", () => {
    const chrome = TABLE[0]?.[1] ?? "";
    const first = { ...parseUserAgent(chrome) };
    // Enough distinct strings to turn both cache generations over.
    for (let i = 0; i < 5000; i++) parseUserAgent(`${chrome} Build/${i}`);
    expect(parseUserAgent(chrome)).toEqual(first);
    const padded = `${chrome} ${"x".repeat(600)}`;
    expect(parseUserAgent(padded)).toMatchObject({ browser: "Chrome", device: "desktop" });
    expect(parseUserAgent(padded)).toEqual(parseUserAgent(padded));
  });
});
