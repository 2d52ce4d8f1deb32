import { describe, expect, it } from "vitest";
import { channelOf, sameSite } from "./channel.ts";

function channel(url: string, referrerDomain = "", siteDomains: string[] = []) {
  const u = new URL(url);
  return channelOf({
    referrerDomain,
    pageHostname: u.hostname,
    params: u.searchParams,
    siteDomains,
  });
}

describe("channelOf", () => {
  it.each([
    ["https://shop.test/", "", "direct"],
    ["https://shop.test/", "shop.test", "direct"],
    ["https://www.shop.test/", "shop.test", "direct"],
    ["https://shop.test/", "google.com", "organic_search"],
    ["https://shop.test/", "google.co.uk", "organic_search"],
    ["https://shop.test/", "search.brave.com", "organic_search"],
    ["https://shop.test/", "duckduckgo.com", "organic_search"],
    ["https://shop.test/", "yandex.ru", "organic_search"],
    ["https://shop.test/", "so.com", "organic_search"],
    ["https://shop.test/", "chatgpt.com", "organic_search"],
    ["https://shop.test/?gclid=abc", "google.com", "paid_search"],
    ["https://shop.test/?msclkid=abc", "bing.com", "paid_search"],
    ["https://shop.test/?utm_medium=cpc&utm_source=google", "", "paid_search"],
    ["https://shop.test/?utm_medium=cpc&utm_source=facebook", "", "paid_social"],
    ["https://shop.test/?ttclid=1", "", "paid_social"],
    ["https://shop.test/?utm_medium=display", "", "display"],
    ["https://shop.test/", "reddit.com", "organic_social"],
    ["https://shop.test/", "l.facebook.com", "organic_social"],
    ["https://shop.test/", "t.co", "organic_social"],
    ["https://shop.test/", "news.ycombinator.com", "organic_social"],
    ["https://shop.test/", "youtu.be", "organic_social"],
    ["https://shop.test/?fbclid=x", "", "organic_social"],
    ["https://shop.test/?utm_source=linkedin", "", "organic_social"],
    ["https://shop.test/?utm_medium=email", "", "email"],
    ["https://shop.test/?utm_medium=e-mail", "", "email"],
    ["https://shop.test/", "mail.google.com", "email"],
    ["https://shop.test/", "outlook.live.com", "email"],
    ["https://shop.test/?utm_medium=affiliate", "", "affiliate"],
    ["https://shop.test/", "blog.example.org", "referral"],
    ["https://shop.test/", "t.example.org", "referral"],
    ["https://shop.test/", "ok.example.org", "referral"],
    ["https://shop.test/?utm_source=partner-site", "", "referral"],
  ])("%s from %s is %s", (url, referrer, expected) => {
    expect(channel(url, referrer)).toBe(expected);
  });

  it("treats a referrer from any of the site's domains as internal", () => {
    expect(channel("https://shop.test/", "blog.shop.test", ["shop.test"])).toBe("direct");
    expect(channel("https://shop.test/", "shop-cdn.test", ["shop.test", "shop-cdn.test"])).toBe(
      "direct",
    );
    expect(channel("https://shop.test/", "blog.shop.test")).toBe("referral");
  });

  it("knows the same site", () => {
    expect(sameSite("www.a.test", "a.test", [])).toBe(true);
    expect(sameSite("b.test", "a.test", ["a.test"])).toBe(false);
    expect(sameSite("", "a.test", ["a.test"])).toBe(false);
  });
});
