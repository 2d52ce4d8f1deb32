import { describe, expect, it } from "vitest";
import { channelOf } from "./channel.ts";

function channel(url: string, referrerDomain = "") {
  const u = new URL(url);
  return channelOf({ referrerDomain, pageHostname: u.hostname, params: u.searchParams });
}

describe("channelOf", () => {
  it.each([
    ["https://shop.test/", "", "direct"],
    ["https://shop.test/", "shop.test", "direct"],
    ["https://shop.test/", "google.com", "organic_search"],
    ["https://shop.test/?gclid=abc", "google.com", "paid_search"],
    ["https://shop.test/?utm_medium=cpc&utm_source=facebook", "", "paid_social"],
    ["https://shop.test/", "reddit.com", "organic_social"],
    ["https://shop.test/?utm_medium=email", "", "email"],
    ["https://shop.test/", "blog.example.org", "referral"],
  ])("%s from %s is %s", (url, referrer, expected) => {
    expect(channel(url, referrer)).toBe(expected);
  });
});
